/** Token-level index: vocabulary byte trie walked against a DFA state → allowed-token bitset, cached per state. */
package org.sglang4j.grammar.mask;
