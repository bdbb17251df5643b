package org.sglang4j.core.tokenizer;

/**
 * The BPE merge loop over one word: repeatedly merge the adjacent pair with the lowest rank, the leftmost one on
 * ties (Hugging Face's and llama.cpp's order), until no pair merges. Short words use a scan that keeps each pair's
 * rank cached; long ones (a paragraph of Chinese or a SentencePiece line) a heap, so the cost stays n log n.
 * Works in place on caller-owned scratch arrays.
 */
final class BpeMerger {
    private static final int SCAN_LIMIT = 24;
    private static final int NO_MERGE = Integer.MAX_VALUE;

    private final int[] pairRank = new int[SCAN_LIMIT];
    private int[] prev = new int[64], next = new int[64];
    private long[] heap = new long[64];

    /** Merges {@code ids[0, n)} in place; returns the new length. */
    int merge(BpeMerges merges, int[] ids, int n) {
        if (n < 2) return n;
        return n <= SCAN_LIMIT ? mergeByScan(merges, ids, n) : mergeByHeap(merges, ids, n);
    }

    int mergeByScan(BpeMerges merges, int[] ids, int n) {
        int[] rank = pairRank;
        for (int i = 0; i + 1 < n; i++) rank[i] = rankOf(merges, ids[i], ids[i + 1]);
        while (n > 1) {
            int best = NO_MERGE, at = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (rank[i] < best) {
                    best = rank[i];
                    at = i;
                }
            }
            if (at < 0) break;
            ids[at] = (int) merges.get(ids[at], ids[at + 1]);
            System.arraycopy(ids, at + 2, ids, at + 1, n - at - 2);
            System.arraycopy(rank, at + 2, rank, at + 1, Math.max(0, n - at - 3));
            n--;
            if (at > 0) rank[at - 1] = rankOf(merges, ids[at - 1], ids[at]);
            if (at + 1 < n) rank[at] = rankOf(merges, ids[at], ids[at + 1]);
        }
        return n;
    }

    private static int rankOf(BpeMerges merges, int left, int right) {
        long v = merges.get(left, right);
        return v < 0 ? NO_MERGE : (int) (v >>> 32);
    }

    int mergeByHeap(BpeMerges merges, int[] ids, int n) {
        if (prev.length < n) {
            prev = new int[n * 2];
            next = new int[n * 2];
        }
        int heapSize = 0;
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        for (int i = 0; i + 1 < n; i++) {
            long v = merges.get(ids[i], ids[i + 1]);
            if (v >= 0) heapSize = push(heapSize, (v & 0xFFFFFFFF00000000L) | i);
        }
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = pop(heapSize);
            int left = (int) top;
            int right = next[left];
            if (ids[left] < 0 || right < 0) continue;
            long v = merges.get(ids[left], ids[right]);
            if (v < 0 || (v >>> 32) != (top >>> 32)) continue; // stale: one side merged since
            ids[left] = (int) v;
            ids[right] = -1;
            int after = next[right];
            next[left] = after;
            if (after >= 0) prev[after] = left;
            int before = prev[left];
            if (before >= 0) {
                long pv = merges.get(ids[before], ids[left]);
                if (pv >= 0) heapSize = push(heapSize, (pv & 0xFFFFFFFF00000000L) | before);
            }
            if (after >= 0) {
                long nv = merges.get(ids[left], ids[after]);
                if (nv >= 0) heapSize = push(heapSize, (nv & 0xFFFFFFFF00000000L) | left);
            }
        }
        int m = 0;
        for (int i = 0; i >= 0; i = next[i]) ids[m++] = ids[i];
        return m;
    }

    // Binary min-heap of (rank << 32 | left position): ties resolve to the leftmost pair.
    private int push(int size, long v) {
        if (size == heap.length) heap = java.util.Arrays.copyOf(heap, size * 2);
        int i = size;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heap[p] <= v) break;
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = v;
        return size + 1;
    }

    private int pop(int size) {
        long last = heap[--size];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && heap[c + 1] < heap[c]) c++;
            if (heap[c] >= last) break;
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = last;
        return size;
    }
}
