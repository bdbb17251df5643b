package org.sglang4j.grammar.fsm;

/**
 * A minimal deterministic automaton over bytes, the form every grammar is compiled to. State 0 is the start; every
 * state can still reach an accepting state (dead ends are removed), so "a transition exists" means "the output
 * can still be completed". Bytes are grouped into classes that behave identically in every state, and the
 * transition table is {@code next[state * numClasses + classOf[byte]]}, -1 for no transition.
 */
public final class ByteDfa {
    private final int numStates;
    private final int numClasses;
    private final int[] classOf; // [256] byte → class
    private final int[] next; // [numStates * numClasses]
    private final boolean[] accepting;

    ByteDfa(int numStates, int numClasses, int[] classOf, int[] next, boolean[] accepting) {
        this.numStates = numStates;
        this.numClasses = numClasses;
        this.classOf = classOf;
        this.next = next;
        this.accepting = accepting;
    }

    public int numStates() { return numStates; }

    public int numClasses() { return numClasses; }

    /** Next state after byte {@code b} (only the low 8 bits count), or -1. */
    public int step(int state, int b) {
        return next[state * numClasses + classOf[b & 0xFF]];
    }

    /** State after all of {@code bytes[from, to)}, or -1 as soon as a byte has no transition. */
    public int run(int state, byte[] bytes, int from, int to) {
        for (int i = from; i < to && state >= 0; i++) state = next[state * numClasses + classOf[bytes[i] & 0xFF]];
        return state;
    }

    public boolean isAccepting(int state) { return accepting[state]; }

    /** True if some byte can follow in {@code state}. */
    public boolean hasTransitions(int state) {
        for (int c = 0, base = state * numClasses; c < numClasses; c++) if (next[base + c] >= 0) return true;
        return false;
    }

    /** Byte → class table; shared, do not modify (read directly by the token-mask walk). */
    public int[] classTable() { return classOf; }

    /** Transition table; shared, do not modify (read directly by the token-mask walk). */
    public int[] transitionTable() { return next; }
}
