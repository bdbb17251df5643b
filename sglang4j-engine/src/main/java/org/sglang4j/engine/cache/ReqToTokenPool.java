package org.sglang4j.engine.cache;

import java.util.Arrays;

/**
 * Maps (request slot, token position) to the KV slot holding that token (SGLang {@code ReqToTokenPool}). One row
 * per running request; attention gathers a sequence's K/V through its row, so tokens shared through the radix cache
 * appear in many rows but are stored once.
 *
 * <p>SGLang preallocates {@code [max_running_requests, context_len]}; here rows start small and double up to the
 * context length, so a pool sized for long contexts costs memory only for the tokens actually in use. A row array
 * may be longer than the sequence: readers use the request's own length.
 *
 * <p>Owned by the scheduler thread; not thread-safe.
 */
public final class ReqToTokenPool {
    private static final int INITIAL_ROW = 256;

    private final int size;
    private final int maxContextLen;
    private final int[][] rows;
    private final int[] freeIdx; // stack of free request slots
    private int freeCount;

    public ReqToTokenPool(int size, int maxContextLen) {
        if (size < 1) throw new IllegalArgumentException("max running requests must be >= 1, got " + size);
        if (maxContextLen < 1) throw new IllegalArgumentException("context length must be >= 1, got " + maxContextLen);
        this.size = size;
        this.maxContextLen = maxContextLen;
        this.rows = new int[size][];
        this.freeIdx = new int[size];
        for (int i = 0; i < size; i++) freeIdx[i] = size - 1 - i;
        this.freeCount = size;
    }

    public int size() {
        return size;
    }

    public int availableSize() {
        return freeCount;
    }

    /** Takes a free request slot, or returns -1 when all are in use. */
    public int alloc() {
        if (freeCount == 0) return -1;
        return freeIdx[--freeCount];
    }

    public void free(int reqPoolIdx) {
        if (reqPoolIdx < 0 || reqPoolIdx >= size) throw new IllegalStateException("bad request slot " + reqPoolIdx);
        for (int i = 0; i < freeCount; i++) {
            if (freeIdx[i] == reqPoolIdx) throw new IllegalStateException("double free of request slot " + reqPoolIdx);
        }
        freeIdx[freeCount++] = reqPoolIdx;
    }

    /** The row of {@code reqPoolIdx}, at least {@code minLen} long; positions beyond the request's length are junk. */
    public int[] row(int reqPoolIdx, int minLen) {
        if (minLen > maxContextLen) {
            throw new IllegalArgumentException("sequence of " + minLen + " tokens exceeds the context length " + maxContextLen);
        }
        int[] row = rows[reqPoolIdx];
        if (row == null || row.length < minLen) {
            int cap = Math.max(row == null ? INITIAL_ROW : row.length * 2, minLen);
            row = row == null ? new int[Math.min(cap, maxContextLen)] : Arrays.copyOf(row, Math.min(cap, maxContextLen));
            rows[reqPoolIdx] = row;
        }
        return row;
    }

    /** Current row of {@code reqPoolIdx} without growing it. */
    public int[] row(int reqPoolIdx) {
        return row(reqPoolIdx, 0);
    }

    /** Writes {@code src[srcOff .. srcOff+len)} to positions {@code [pos, pos+len)} of the row. */
    public void write(int reqPoolIdx, int pos, int[] src, int srcOff, int len) {
        System.arraycopy(src, srcOff, row(reqPoolIdx, pos + len), pos, len);
    }

    /** Frees every request slot (flush); rows are kept for reuse. */
    public void clear() {
        for (int i = 0; i < size; i++) freeIdx[i] = size - 1 - i;
        freeCount = size;
    }
}
