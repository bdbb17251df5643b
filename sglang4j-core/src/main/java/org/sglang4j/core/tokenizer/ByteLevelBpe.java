package org.sglang4j.core.tokenizer;

/**
 * GPT-2 style byte-level BPE (GPT-2, Llama 3, Qwen2/2.5/3, DeepSeek, Falcon, StarCoder …): the pre-tokenizer
 * splits the text, each piece's UTF-8 bytes start as one token each, and merges run inside the piece.
 * {@code ignoreMerges} (Llama 3): a piece that is itself a vocabulary token is that token.
 */
record ByteLevelBpe(Vocabulary vocab, BpeMerges merges, PreTokenizer preTokenizer, int[] byteTokens,
                    boolean ignoreMerges) implements TokenizerModel {

    /**
     * Builds the model from merge rules written as {@code "left right"} in byte-level text, rank = position.
     * Resolving 150k rules to ids is the bulk of loading a vocabulary, so it runs on all cores; merges whose
     * parts or result are not in the vocabulary are skipped (HF refuses them too).
     */
    static ByteLevelBpe of(Vocabulary vocab, String[] merges, PreTokenizer pre, boolean ignoreMerges) {
        int n = merges.length;
        long[] resolved = new long[n]; // (left << 32 | right), or -1
        int[] results = new int[n];
        java.util.stream.IntStream.range(0, (n + 4095) / 4096).parallel().forEach(chunk -> {
            for (int rank = chunk * 4096, end = Math.min(n, rank + 4096); rank < end; rank++) {
                String m = merges[rank];
                int sp = m.indexOf(' ', 1);
                if (sp < 0) throw new IllegalArgumentException("merge " + rank + " \"" + m + "\" has no space");
                int a = vocab.id(m, 0, sp, sp, sp), b = vocab.id(m, sp + 1, m.length(), sp, sp);
                int ab = vocab.id(m, 0, sp, sp + 1, m.length());
                resolved[rank] = a >= 0 && b >= 0 && ab >= 0 ? ((long) a << 32) | b : -1;
                results[rank] = ab;
            }
        });
        BpeMerges table = new BpeMerges(n);
        for (int rank = 0; rank < n; rank++) {
            long pair = resolved[rank];
            if (pair >= 0) table.put((int) (pair >>> 32), (int) pair, rank, results[rank]);
        }
        return of(vocab, table, pre, ignoreMerges);
    }

    /** Adds one merge; merges whose parts or result are not in the vocabulary are skipped (HF refuses them too). */
    static void addMerge(Vocabulary vocab, BpeMerges table, String left, String right, int rank) {
        int a = vocab.id(left), b = vocab.id(right), ab = vocab.id(left + right);
        if (a >= 0 && b >= 0 && ab >= 0) table.put(a, b, rank, ab);
    }

    static ByteLevelBpe of(Vocabulary vocab, BpeMerges table, PreTokenizer pre, boolean ignoreMerges) {
        int[] byteTokens = new int[256];
        for (int b = 0; b < 256; b++) byteTokens[b] = vocab.id(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
        return new ByteLevelBpe(vocab, table, pre, byteTokens, ignoreMerges);
    }

    @Override
    public void encode(String text, int start, int end, boolean firstSegment, IdBuffer out, EncodeScratch scratch) {
        preTokenizer.split(text, start, end, (s, e) -> encodeWord(text, s, e, out, scratch));
    }

    private void encodeWord(String text, int s, int e, IdBuffer out, EncodeScratch scratch) {
        int[] ids = scratch.ids(4 * (e - s));
        int n = 0;
        for (int i = s; i < e; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n = put(ids, n, c);
            } else if (c < 0x800) {
                n = put(ids, n, 0xC0 | (c >> 6));
                n = put(ids, n, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < e && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                n = put(ids, n, 0xF0 | (cp >> 18));
                n = put(ids, n, 0x80 | ((cp >> 12) & 0x3F));
                n = put(ids, n, 0x80 | ((cp >> 6) & 0x3F));
                n = put(ids, n, 0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) c = '\uFFFD'; // a lone surrogate is not text: encode U+FFFD
                n = put(ids, n, 0xE0 | (c >> 12));
                n = put(ids, n, 0x80 | ((c >> 6) & 0x3F));
                n = put(ids, n, 0x80 | (c & 0x3F));
            }
        }
        int m = scratch.merger.merge(merges, ids, n);
        if (ignoreMerges && m > 1) {
            int whole = vocab.id(ByteLevel.encode(Utf8.encode(text, s, e)));
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        for (int i = 0; i < m; i++) out.add(ids[i]);
    }

    private int put(int[] ids, int n, int b) {
        int id = byteTokens[b];
        if (id < 0) return n; // a vocabulary without this byte cannot spell it; llama.cpp drops it too
        ids[n] = id;
        return n + 1;
    }

    @Override
    public boolean stripsLeadingSpace() { return false; }
}
