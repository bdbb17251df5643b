package org.sglang4j.core.sampling;

import java.util.Arrays;

/**
 * Which tokens a request has seen, for the penalties: how often each occurred in the output (frequency and
 * presence penalties count output tokens only) and whether it occurred in the prompt (the repetition penalty
 * covers prompt and output, as SGLang's {@code BatchedRepetitionPenalizer} does). A sparse open-addressing map
 * rather than a vocabulary-sized array: a request touches a few thousand distinct tokens of a 150k vocabulary,
 * and penalties then cost O(distinct) per step instead of O(vocab). Grows by doubling, so appending a token
 * allocates only when the table is resized.
 */
final class TokenOccurrences {
    private static final int EMPTY = -1;

    private int[] keys;          // [capacity] token id or EMPTY
    private int[] outputCounts;  // [capacity] occurrences in the output
    private boolean[] inPrompt;  // [capacity]
    private int[] order;         // [size] slots in insertion order, for iteration
    private int size;

    TokenOccurrences() {
        allocate(64);
    }

    private void allocate(int capacity) {
        keys = new int[capacity];
        Arrays.fill(keys, EMPTY);
        outputCounts = new int[capacity];
        inPrompt = new boolean[capacity];
        order = new int[capacity / 2 + 1];
        size = 0;
    }

    void addOutput(int token) {
        int slot = slotFor(token); // may grow the arrays, so index them only afterwards
        outputCounts[slot]++;
    }

    void addPrompt(int token) {
        int slot = slotFor(token);
        inPrompt[slot] = true;
    }

    /** Distinct tokens seen (prompt or output). */
    int size() {
        return size;
    }

    /** The {@code j}-th distinct token ({@code j < size()}), in first-seen order. */
    int token(int j) {
        return keys[order[j]];
    }

    int outputCount(int j) {
        return outputCounts[order[j]];
    }

    boolean inPrompt(int j) {
        return inPrompt[order[j]];
    }

    /** Output occurrences of {@code token} (0 if never generated). */
    int outputCountOf(int token) {
        int slot = find(token);
        return slot < 0 ? 0 : outputCounts[slot];
    }

    private int find(int token) {
        int mask = keys.length - 1;
        for (int s = mix(token) & mask; ; s = (s + 1) & mask) {
            if (keys[s] == token) return s;
            if (keys[s] == EMPTY) return -1;
        }
    }

    private int slotFor(int token) {
        if (2 * (size + 1) > keys.length) grow();
        int mask = keys.length - 1;
        int s = mix(token) & mask;
        while (keys[s] != EMPTY && keys[s] != token) s = (s + 1) & mask;
        if (keys[s] == EMPTY) {
            keys[s] = token;
            order[size++] = s;
        }
        return s;
    }

    private void grow() {
        int[] oldKeys = keys, oldCounts = outputCounts, oldOrder = order;
        boolean[] oldPrompt = inPrompt;
        int oldSize = size;
        allocate(keys.length * 2);
        for (int j = 0; j < oldSize; j++) {
            int from = oldOrder[j];
            int to = slotFor(oldKeys[from]);
            outputCounts[to] = oldCounts[from];
            inPrompt[to] = oldPrompt[from];
        }
    }

    private static int mix(int token) {
        int h = token * 0x9E3779B1;
        return h ^ (h >>> 16);
    }
}
