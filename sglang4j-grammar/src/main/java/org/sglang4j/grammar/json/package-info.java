/** JSON Schema and any-JSON ({@code json_object}) → {@link org.sglang4j.grammar.regex.Regex}. */
package org.sglang4j.grammar.json;
