package org.sglang4j.core.tokenizer;

/** Per-call working memory of an encode: grown as needed, never shared between threads. */
final class EncodeScratch {
    final BpeMerger merger = new BpeMerger();
    int[] ids = new int[256];

    int[] ids(int n) {
        if (ids.length < n) ids = new int[Math.max(n, ids.length * 2)];
        return ids;
    }
}
