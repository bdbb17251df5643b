package org.sglang4j.core.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * SentencePiece-style BPE (Llama 2, Mistral, TinyLlama, Phi-3; llama2.c vocabularies): the text is one sequence of
 * code points (spaces written as {@code spaceChar}, usually {@code ▁}, and a dummy prefix space per
 * {@link Prefix}), each code point starts as its own token or as {@code <0xNN>} byte tokens when the vocabulary
 * lacks it, and the pair whose merged piece ranks best merges first, leftmost on ties. GGUF and llama2.c files
 * rank by piece score ({@link #mergesFromScores}); HF tokenizer.json files list merges.
 */
record SentencePieceBpe(Vocabulary vocab, BpeMerges merges, int[] bmpTokens, Map<Integer, Integer> otherTokens,
                        int[] byteTokens, int unk, char spaceChar, Prefix prefix, boolean splitOnSpace,
                        boolean byteFallbackSplits) implements TokenizerModel {

    /** When a space is put in front of a stretch of text. */
    enum Prefix {
        /** Every stretch (the start of the text and after each added token): llama.cpp, HF Prepend normalizer. */
        EVERY_SEGMENT,
        /** Only the stretch at the start of the text: HF Metaspace prepend_scheme "first". */
        FIRST_SEGMENT,
        NEVER
    }

    /**
     * {@code splitOnSpace}: merge each space-initial word on its own (HF Metaspace {@code split: true}); llama.cpp
     * and SentencePiece files merge across the whole stretch.
     */
    static SentencePieceBpe of(Vocabulary vocab, BpeMerges merges, int unk, char spaceChar, Prefix prefix,
                               boolean splitOnSpace) {
        int[] bmp = new int[65536];
        Arrays.fill(bmp, -1);
        Map<Integer, Integer> other = new HashMap<>();
        int[] bytes = new int[256];
        Arrays.fill(bytes, -1);
        for (int id = vocab.size() - 1; id >= 0; id--) { // descending so the lowest id wins duplicates
            TokenType type = vocab.type(id);
            String t = vocab.text(id);
            if (type == TokenType.BYTE) {
                int b = Vocabulary.parseByteToken(t);
                if (b >= 0) bytes[b] = id;
            } else if ((type == TokenType.NORMAL || type == TokenType.USER_DEFINED) && !t.isEmpty()
                    && t.codePointCount(0, t.length()) == 1) {
                int cp = t.codePointAt(0);
                if (cp < 65536) bmp[cp] = id; else other.put(cp, id);
            }
        }
        // Byte-fallback tokens never merge in real vocabularies, so they cut a long text (newlines are byte
        // fallback in Llama's vocabulary) into independent stretches: same result, much shorter merge runs.
        boolean byteFallbackSplits = !merges.anyMergeUses(id -> id == unk || vocab.type(id) == TokenType.BYTE);
        return new SentencePieceBpe(vocab, merges, bmp, other, bytes, unk, spaceChar, prefix, splitOnSpace,
                byteFallbackSplits);
    }

    /**
     * SentencePiece BPE as a merge table: a pair (a, b) merges when a + b is a piece, ranked by that piece's score
     * (higher first; equal scores share a rank so position decides, as in SentencePiece and llama.cpp). Only
     * NORMAL and USER_DEFINED pieces take part: control and byte tokens are never spelled by merging.
     */
    static BpeMerges mergesFromScores(Vocabulary vocab) {
        int n = vocab.size();
        float[] candidateScores = new float[n];
        int count = 0;
        for (int id = 0; id < n; id++) {
            if (isPiece(vocab, id) && vocab.text(id).codePointCount(0, vocab.text(id).length()) > 1) {
                candidateScores[count++] = vocab.score(id);
            }
        }
        float[] distinct = distinctDescending(Arrays.copyOf(candidateScores, count));
        BpeMerges table = new BpeMerges(count * 4);
        for (int id = 0; id < n; id++) {
            if (!isPiece(vocab, id)) continue;
            String p = vocab.text(id);
            if (p.codePointCount(0, p.length()) < 2) continue;
            int rank = rankOf(distinct, vocab.score(id));
            for (int k = p.offsetByCodePoints(0, 1); k < p.length(); k = p.offsetByCodePoints(k, 1)) {
                int a = vocab.id(p, 0, k, k, k), b = vocab.id(p, k, p.length(), k, k);
                if (a >= 0 && b >= 0 && isPiece(vocab, a) && isPiece(vocab, b)) table.put(a, b, rank, id);
            }
        }
        return table;
    }

    private static float[] distinctDescending(float[] scores) {
        Arrays.sort(scores);
        float[] out = new float[scores.length];
        int m = 0;
        for (int i = scores.length - 1; i >= 0; i--) {
            if (m == 0 || Float.compare(out[m - 1], scores[i]) != 0) out[m++] = scores[i];
        }
        return Arrays.copyOf(out, m);
    }

    private static int rankOf(float[] descending, float score) {
        int lo = 0, hi = descending.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (descending[mid] > score) lo = mid + 1; else if (descending[mid] < score) hi = mid - 1; else return mid;
        }
        throw new IllegalStateException("score " + score + " not in the rank table");
    }

    private static boolean isPiece(Vocabulary vocab, int id) {
        TokenType t = vocab.type(id);
        return t == TokenType.NORMAL || t == TokenType.USER_DEFINED;
    }

    @Override
    public void encode(String text, int start, int end, boolean firstSegment, IdBuffer out, EncodeScratch scratch) {
        if (start >= end) return;
        int[] ids = scratch.ids(4 * (end - start + 1));
        int n = 0;
        if (prefix == Prefix.EVERY_SEGMENT || (prefix == Prefix.FIRST_SEGMENT && firstSegment)) {
            n = putCodePoint(ids, n, spaceChar);
        }
        for (int i = start; i < end; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == ' ') cp = spaceChar;
            if (splitOnSpace && cp == spaceChar && n > 0) {
                flush(ids, n, out, scratch);
                n = 0;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
            int id = cp < 65536 ? bmpTokens[cp] : otherTokens.getOrDefault(cp, -1);
            if (id >= 0) {
                ids[n++] = id;
            } else if (byteFallbackSplits) {
                flush(ids, n, out, scratch);
                n = putBytes(ids, 0, cp);
                for (int k = 0; k < n; k++) out.add(ids[k]);
                n = 0;
            } else {
                n = putBytes(ids, n, cp);
            }
        }
        flush(ids, n, out, scratch);
    }

    private void flush(int[] ids, int n, IdBuffer out, EncodeScratch scratch) {
        int m = scratch.merger.merge(merges, ids, n);
        for (int i = 0; i < m; i++) out.add(ids[i]);
    }

    private int putCodePoint(int[] ids, int n, int cp) {
        int id = cp < 65536 ? bmpTokens[cp] : otherTokens.getOrDefault(cp, -1);
        if (id >= 0) {
            ids[n] = id;
            return n + 1;
        }
        // Byte fallback: the code point's UTF-8 bytes as <0xNN> tokens, or <unk> for a vocabulary without them.
        return putBytes(ids, n, cp);
    }

    private int putBytes(int[] ids, int n, int cp) {
        byte[] utf8 = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : utf8) {
            int bt = byteTokens[b & 0xFF];
            if (bt < 0) {
                if (unk >= 0) ids[n++] = unk;
                return n;
            }
            ids[n++] = bt;
        }
        return n;
    }

    @Override
    public boolean stripsLeadingSpace() { return prefix != Prefix.NEVER; }
}
