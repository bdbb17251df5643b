package org.sglang4j.core.tokenizer;

import java.util.Arrays;

/**
 * Token text → id, an open-addressing table over the vocabulary's own strings. Besides whole strings it looks up
 * a region of a string and the concatenation of two regions without building them, which is what loading
 * 150k "left right" merge rules needs to stay fast (no substring, no boxing).
 */
final class TokenIndex {
    private final String[] texts;
    private final int[] slots; // token id, or -1
    private final int mask;

    /** Indexes {@code texts}; for duplicate texts the lowest id wins. */
    TokenIndex(String[] texts) {
        this.texts = texts;
        int cap = Integer.highestOneBit(Math.max(16, texts.length * 2 - 1)) << 1;
        slots = new int[cap];
        Arrays.fill(slots, -1);
        mask = cap - 1;
        for (int id = 0; id < texts.length; id++) {
            String t = texts[id];
            int slot = slot(t.hashCode());
            boolean duplicate = false;
            while (slots[slot] >= 0) {
                if (texts[slots[slot]].equals(t)) {
                    duplicate = true;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            if (!duplicate) slots[slot] = id;
        }
    }

    int get(String text) {
        int slot = slot(text.hashCode());
        while (true) {
            int id = slots[slot];
            if (id < 0 || texts[id].equals(text)) return id;
            slot = (slot + 1) & mask;
        }
    }

    /** Id of {@code s[from, to)}, or -1. */
    int get(String s, int from, int to) {
        return getJoined(s, from, to, to, to);
    }

    /** Id of {@code s[a0, a1) + s[b0, b1)}, or -1. */
    int getJoined(String s, int a0, int a1, int b0, int b1) {
        int h = 0;
        for (int i = a0; i < a1; i++) h = 31 * h + s.charAt(i);
        for (int i = b0; i < b1; i++) h = 31 * h + s.charAt(i);
        int len = (a1 - a0) + (b1 - b0);
        int slot = slot(h);
        while (true) {
            int id = slots[slot];
            if (id < 0) return -1;
            String t = texts[id];
            if (t.length() == len && t.regionMatches(0, s, a0, a1 - a0)
                    && t.regionMatches(a1 - a0, s, b0, b1 - b0)) {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int slot(int hash) {
        // String.hashCode is weak in the low bits for short strings: finish it with murmur3's fmix32.
        int h = hash ^ (hash >>> 16);
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h & mask;
    }
}
