/** Finite automata over bytes: regex tree → brics NFA → minimal {@link org.sglang4j.grammar.fsm.ByteDfa}. */
package org.sglang4j.grammar.fsm;
