package org.sglang4j.core.tokenizer;

import java.util.Arrays;

/** A growable {@code int[]} of token ids (no boxing on the encode path). */
final class IdBuffer {
    private int[] ids;
    private int size;

    IdBuffer(int capacity) { ids = new int[Math.max(4, capacity)]; }

    void add(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, ids.length * 2);
        ids[size++] = id;
    }

    int size() { return size; }

    int[] toArray() { return Arrays.copyOf(ids, size); }
}
