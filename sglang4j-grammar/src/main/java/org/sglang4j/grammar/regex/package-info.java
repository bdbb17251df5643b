/** Regex syntax (Python {@code re} as SGLang users write it) → {@link org.sglang4j.grammar.regex.Regex} tree. */
package org.sglang4j.grammar.regex;
