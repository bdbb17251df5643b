package org.sglang4j.core.tokenizer;

import java.util.Arrays;

/**
 * The merge table of a BPE vocabulary: (left id, right id) → a merge with a priority (lower merges first) and the
 * merged id. Lookups are the hottest operation of encoding and mostly misses (pairs that never merge), so each
 * entry is one {@code long} — {@code left << 44 | right << 24 | merge index} — in an open-addressing table: a
 * probe touches one cache line and allocates nothing. Priority and merged id live in side arrays read only for
 * pairs that do merge. Priorities may repeat (SentencePiece pieces with equal scores); position breaks those ties.
 */
final class BpeMerges {
    static final int MAX_ID = (1 << 20) - 2;      // ids must fit 20 bits (and never form the EMPTY pattern)
    static final int MAX_MERGES = (1 << 24) - 1;
    private static final long EMPTY = -1L;

    private final long[] slots;
    private final int mask;
    private int[] priorities; // by merge index
    private int[] mergedIds;  // by merge index
    private int size;

    BpeMerges(int expected) {
        int cap = 16;
        while (cap * 0.6 < expected) cap <<= 1;
        slots = new long[cap];
        Arrays.fill(slots, EMPTY);
        mask = cap - 1;
        priorities = new int[Math.max(16, expected)];
        mergedIds = new int[priorities.length];
    }

    int size() { return size; }

    /** Adds a merge unless the pair is already present (the first entry wins, as in HF and llama.cpp). */
    void put(int left, int right, int priority, int merged) {
        if (left < 0 || right < 0 || left > MAX_ID || right > MAX_ID) {
            throw new IllegalArgumentException("merge " + left + " + " + right + ": token ids above " + MAX_ID);
        }
        if (size == MAX_MERGES) throw new IllegalArgumentException("more than " + MAX_MERGES + " merges");
        if (size + 1 > slots.length * 0.6) throw new IllegalStateException("merge table sized for fewer than " + (size + 1));
        long key = ((long) left << 20) | right;
        int slot = slot(key);
        while (slots[slot] != EMPTY) {
            if (slots[slot] >>> 24 == key) return;
            slot = (slot + 1) & mask;
        }
        int index = size++;
        if (index == priorities.length) {
            priorities = Arrays.copyOf(priorities, index * 2);
            mergedIds = Arrays.copyOf(mergedIds, index * 2);
        }
        priorities[index] = priority;
        mergedIds[index] = merged;
        slots[slot] = (key << 24) | index;
    }

    /** The merge of this pair (an index for {@link #priority} and {@link #merged}), or -1 if it does not merge. */
    int find(int left, int right) {
        long key = ((long) left << 20) | right;
        int slot = slot(key);
        while (true) {
            long e = slots[slot];
            if (e == EMPTY) return -1;
            if (e >>> 24 == key) return (int) (e & MAX_MERGES);
            slot = (slot + 1) & mask;
        }
    }

    int priority(int merge) { return priorities[merge]; }

    int merged(int merge) { return mergedIds[merge]; }

    /** True if some merge has a side for which {@code isToken} holds. */
    boolean anyMergeUses(java.util.function.IntPredicate isToken) {
        for (long e : slots) {
            if (e != EMPTY && (isToken.test((int) (e >>> 44)) || isToken.test((int) ((e >>> 24) & 0xFFFFF)))) return true;
        }
        return false;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
