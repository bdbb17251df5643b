/** Constrained decoding: regex → DFA, JSON schema → regex, token-level mask index. */
package org.sglang4j.grammar;
