package org.sglang4j.core.tokenizer;

/**
 * The merge table of a BPE vocabulary: (left id, right id) → (rank, merged id), lower rank merges first. An
 * open-addressing hash over {@code long} keys, so the merge loop does no boxing and no string work.
 */
final class BpeMerges {
    private static final long EMPTY = -1L;

    private final long[] keys;   // (left << 32) | right, or EMPTY
    private final long[] values; // (rank << 32) | merged
    private final int mask;
    private int size;

    BpeMerges(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new long[cap];
        java.util.Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    int size() { return size; }

    /** Adds a merge unless the pair is already present (the first, lowest-ranked entry wins). */
    void put(int left, int right, int rank, int merged) {
        if (size * 2 >= keys.length) throw new IllegalStateException("merge table full: sized for " + size);
        long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) return;
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
        size++;
    }

    /** {@code (rank << 32) | merged} for the pair, or -1 if the pair does not merge. */
    long get(int left, int right) {
        long key = ((long) left << 32) | (right & 0xFFFFFFFFL);
        int slot = slot(key);
        while (true) {
            long k = keys[slot];
            if (k == key) return values[slot];
            if (k == EMPTY) return -1;
            slot = (slot + 1) & mask;
        }
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
