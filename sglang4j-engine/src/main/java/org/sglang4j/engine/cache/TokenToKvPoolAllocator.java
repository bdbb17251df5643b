package org.sglang4j.engine.cache;

import java.util.BitSet;

/**
 * Hands out KV slots of the token-to-KV pool (SGLang {@code TokenToKVPoolAllocator}). A slot is one token's K and
 * V in every layer; the storage itself lives in the model's {@code KvCache}, this class only tracks which slots are
 * free. Page size 1: any slot can go to any request.
 *
 * <p>Unlike SGLang, slot 0 is not reserved as a padding target: CPU batches are ragged and never padded, so slots
 * are {@code 0 .. size-1}. A bitset of free slots turns a double free or a double hand-out into an immediate
 * {@link IllegalStateException} instead of silent KV corruption.
 *
 * <p>Owned by the scheduler thread; not thread-safe.
 */
public final class TokenToKvPoolAllocator {
    private final int size;
    private final int pageSize;
    private final int[] freeSlots; // stack: freeSlots[0 .. freeCount) are free, most recently freed on top
    private int freeCount;
    private final BitSet isFree;

    public TokenToKvPoolAllocator(int size, int pageSize) {
        if (size < 1) throw new IllegalArgumentException("KV pool size must be >= 1 token, got " + size);
        if (pageSize != 1) {
            // TODO: --page-size > 1 (SGLang PagedTokenToKVPoolAllocator: free list of pages, radix keys per page).
            throw new UnsupportedOperationException("--page-size " + pageSize + " is not supported yet; use 1");
        }
        this.size = size;
        this.pageSize = pageSize;
        this.freeSlots = new int[size];
        this.isFree = new BitSet(size);
        clear();
    }

    /** Total number of slots (the pool's capacity in tokens). */
    public int size() {
        return size;
    }

    public int pageSize() {
        return pageSize;
    }

    /** Number of slots that can be handed out right now. */
    public int availableSize() {
        return freeCount;
    }

    public boolean canAllocate(int n) {
        return n <= freeCount;
    }

    /**
     * Takes {@code n} free slots and writes them to {@code out[off .. off+n)}. The caller checks
     * {@link #canAllocate} first (evicting from the radix cache when short).
     */
    public void alloc(int n, int[] out, int off) {
        if (n < 0) throw new IllegalArgumentException("cannot allocate " + n + " slots");
        if (n > freeCount) {
            throw new IllegalStateException("KV pool exhausted: asked for " + n + " slots, " + freeCount + " free");
        }
        for (int i = 0; i < n; i++) {
            int slot = freeSlots[--freeCount];
            isFree.clear(slot);
            out[off + i] = slot;
        }
    }

    /** Returns {@code slots[from .. to)} to the pool. */
    public void free(int[] slots, int from, int to) {
        for (int i = from; i < to; i++) {
            int slot = slots[i];
            if (slot < 0 || slot >= size) throw new IllegalStateException("freeing slot " + slot + " outside the pool");
            if (isFree.get(slot)) throw new IllegalStateException("double free of KV slot " + slot);
            isFree.set(slot);
            freeSlots[freeCount++] = slot;
        }
    }

    public boolean isFree(int slot) {
        return isFree.get(slot);
    }

    /** Marks every slot free (flush). Only valid when nobody holds slots. */
    public void clear() {
        // Low slots on top of the stack, so a fresh pool hands out 0, 1, 2, ...: easier to read in logs.
        for (int i = 0; i < size; i++) freeSlots[i] = size - 1 - i;
        freeCount = size;
        isFree.set(0, size);
    }
}
