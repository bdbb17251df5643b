package org.sglang4j.core.tokenizer;

/**
 * The BPE merge loop over one word: repeatedly merge the adjacent pair with the best (lowest) priority, the
 * leftmost one on ties (Hugging Face's and llama.cpp's order), until no pair merges. Words up to
 * {@link #SCAN_LIMIT} symbols use a scan that keeps each pair's merge cached; longer ones (a paragraph of Chinese,
 * a SentencePiece line) a heap, so the cost stays n log n. Works in place; one instance per encode call.
 */
final class BpeMerger {
    static final int SCAN_LIMIT = 48;
    private static final int NONE = Integer.MAX_VALUE;

    private final int[] pairMerge = new int[SCAN_LIMIT];    // merge index of pair (i, i+1), or -1
    private final int[] pairPriority = new int[SCAN_LIMIT]; // its priority, or NONE
    private int[] prev = new int[64], next = new int[64];
    private long[] heap = new long[64];

    /** Merges {@code ids[0, n)} in place; returns the new length. */
    int merge(BpeMerges merges, int[] ids, int n) {
        if (n < 2) return n;
        return n <= SCAN_LIMIT ? mergeByScan(merges, ids, n) : mergeByHeap(merges, ids, n);
    }

    int mergeByScan(BpeMerges merges, int[] ids, int n) {
        for (int i = 0; i + 1 < n; i++) cachePair(merges, ids, i);
        while (n > 1) {
            int best = NONE, at = -1;
            for (int i = 0; i + 1 < n; i++) {
                if (pairPriority[i] < best) {
                    best = pairPriority[i];
                    at = i;
                }
            }
            if (at < 0) break;
            ids[at] = merges.merged(pairMerge[at]);
            System.arraycopy(ids, at + 2, ids, at + 1, n - at - 2);
            int tail = Math.max(0, n - at - 3);
            System.arraycopy(pairMerge, at + 2, pairMerge, at + 1, tail);
            System.arraycopy(pairPriority, at + 2, pairPriority, at + 1, tail);
            n--;
            if (at > 0) cachePair(merges, ids, at - 1);
            if (at + 1 < n) cachePair(merges, ids, at);
        }
        return n;
    }

    private void cachePair(BpeMerges merges, int[] ids, int i) {
        int m = merges.find(ids[i], ids[i + 1]);
        pairMerge[i] = m;
        pairPriority[i] = m < 0 ? NONE : merges.priority(m);
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
        for (int i = 0; i + 1 < n; i++) heapSize = pushPair(merges, ids, heapSize, i, i + 1);
        while (heapSize > 0) {
            long top = heap[0];
            heapSize = pop(heapSize);
            int left = (int) top;
            int right = next[left];
            if (ids[left] < 0 || right < 0) continue;
            int m = merges.find(ids[left], ids[right]);
            if (m < 0 || merges.priority(m) != (int) (top >>> 32)) continue; // stale: a side merged since
            ids[left] = merges.merged(m);
            ids[right] = -1;
            int after = next[right];
            next[left] = after;
            if (after >= 0) prev[after] = left;
            if (prev[left] >= 0) heapSize = pushPair(merges, ids, heapSize, prev[left], left);
            if (after >= 0) heapSize = pushPair(merges, ids, heapSize, left, after);
        }
        int m = 0;
        for (int i = 0; i >= 0; i = next[i]) ids[m++] = ids[i];
        return m;
    }

    private int pushPair(BpeMerges merges, int[] ids, int heapSize, int left, int right) {
        int m = merges.find(ids[left], ids[right]);
        return m < 0 ? heapSize : push(heapSize, ((long) merges.priority(m) << 32) | left);
    }

    // Binary min-heap of (priority << 32 | left position): ties resolve to the leftmost pair.
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
