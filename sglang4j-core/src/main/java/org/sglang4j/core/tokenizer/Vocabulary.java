package org.sglang4j.core.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * The token table of one model: the text of every id as its file stores it, its {@link TokenType}, its
 * SentencePiece score (if any), and the exact bytes it contributes to decoded output, kept in one flat array so
 * decoding does not chase pointers. Immutable.
 */
public final class Vocabulary {

    /** How stored token text maps to output bytes. */
    public enum PieceDecoding {
        /** GPT-2 byte↔unicode table for NORMAL tokens; other tokens are their UTF-8 text. */
        BYTE_LEVEL,
        /** {@code ▁} is a space and {@code <0xNN>} BYTE tokens one raw byte. */
        SENTENCEPIECE,
        /** Text as stored ({@code <0xNN>} BYTE tokens still one raw byte): llama2.c vocabularies. */
        RAW,
        /** WordPiece: a word-initial piece is preceded by a space, {@code ##} continuations are not. */
        WORDPIECE
    }

    private static final TokenType[] TYPES = TokenType.values();

    private final String[] texts;
    private final byte[] types;     // TokenType ordinal per id
    private final float[] scores;   // SentencePiece scores, or null
    private final byte[] pieceBytes; // decoded bytes of all tokens, back to back
    private final int[] pieceOffsets; // token i = pieceBytes[pieceOffsets[i], pieceOffsets[i + 1])
    private final TokenIndex ids;
    private final PieceDecoding decoding;

    public Vocabulary(String[] texts, TokenType[] tokenTypes, float[] scores, PieceDecoding decoding) {
        int n = texts.length;
        if (tokenTypes.length != n) {
            throw new IllegalArgumentException("token types: " + tokenTypes.length + " entries for " + n + " tokens");
        }
        if (scores != null && scores.length != n) {
            throw new IllegalArgumentException("scores: " + scores.length + " entries for " + n + " tokens");
        }
        this.texts = texts.clone();
        this.scores = scores == null ? null : scores.clone();
        this.decoding = decoding;
        this.types = new byte[n];
        this.pieceOffsets = new int[n + 1];
        byte[] all = new byte[n * 8];
        int len = 0;
        for (int i = 0; i < n; i++) {
            String text = texts[i];
            if (text == null) throw new IllegalArgumentException("token " + i + " has no text");
            types[i] = (byte) tokenTypes[i].ordinal();
            if (all.length - len < text.length() * 4 + 8) all = java.util.Arrays.copyOf(all, all.length * 2 + text.length() * 4);
            len = appendPieceBytes(text, tokenTypes[i], decoding, all, len);
            pieceOffsets[i + 1] = len;
        }
        this.pieceBytes = java.util.Arrays.copyOf(all, len);
        this.ids = new TokenIndex(this.texts);
    }

    /** Writes the output bytes of one token at {@code dst[off..]}; returns the new end. */
    private static int appendPieceBytes(String text, TokenType type, PieceDecoding decoding, byte[] dst, int off) {
        if (decoding == PieceDecoding.BYTE_LEVEL && type == TokenType.NORMAL) {
            for (int k = 0; k < text.length(); k++) {
                int b = ByteLevel.byteOf(text.charAt(k));
                if (b < 0) return appendBytes(ByteLevel.decode(text), dst, off); // rare: outside the table
                dst[off + k] = (byte) b;
            }
            return off + text.length();
        }
        return appendBytes(pieceBytesOf(text, type, decoding), dst, off);
    }

    private static int appendBytes(byte[] b, byte[] dst, int off) {
        System.arraycopy(b, 0, dst, off, b.length);
        return off + b.length;
    }

    private static byte[] pieceBytesOf(String text, TokenType type, PieceDecoding decoding) {
        if (type == TokenType.BYTE && decoding != PieceDecoding.BYTE_LEVEL) {
            int b = parseByteToken(text);
            if (b >= 0) return new byte[] {(byte) b};
        }
        return switch (decoding) {
            case BYTE_LEVEL -> type == TokenType.NORMAL ? ByteLevel.decode(text) : text.getBytes(StandardCharsets.UTF_8);
            case SENTENCEPIECE -> text.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
            case RAW -> text.getBytes(StandardCharsets.UTF_8);
            case WORDPIECE -> type != TokenType.NORMAL ? text.getBytes(StandardCharsets.UTF_8)
                    : text.startsWith("##") ? text.substring(2).getBytes(StandardCharsets.UTF_8)
                    : (" " + text).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** The byte of a {@code <0xNN>} token text, or -1. */
    static int parseByteToken(String text) {
        if (text.length() != 6 || !text.startsWith("<0x") || text.charAt(5) != '>') return -1;
        int hi = Character.digit(text.charAt(3), 16), lo = Character.digit(text.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    public int size() { return texts.length; }

    public PieceDecoding decoding() { return decoding; }

    /** The token's text as its file stores it (byte-level {@code Ġ}, SentencePiece {@code ▁} …). */
    public String text(int id) { return texts[check(id)]; }

    public TokenType type(int id) { return TYPES[types[check(id)]]; }

    boolean isSpecial(int id) { return TYPES[types[check(id)]].isSpecial(); }

    /** SentencePiece score, or 0 when the vocabulary has none. */
    public float score(int id) { return scores == null ? 0f : scores[check(id)]; }

    boolean hasScores() { return scores != null; }

    /** The id whose stored text is exactly {@code text}, or -1. */
    public int id(String text) { return ids.get(text); }

    /** The id of {@code s[a0, a1) + s[b0, b1)}, looked up without building the string; -1 if none. */
    int id(String s, int a0, int a1, int b0, int b1) { return ids.getJoined(s, a0, a1, b0, b1); }

    public int byteLength(int id) { return pieceOffsets[check(id) + 1] - pieceOffsets[id]; }

    /** Copies the token's output bytes to {@code dst[off..]}; returns how many were written. */
    public int copyBytes(int id, byte[] dst, int off) {
        int s = pieceOffsets[check(id)], n = pieceOffsets[id + 1] - s;
        System.arraycopy(pieceBytes, s, dst, off, n);
        return n;
    }

    public byte[] bytes(int id) {
        return java.util.Arrays.copyOfRange(pieceBytes, pieceOffsets[check(id)], pieceOffsets[id + 1]);
    }

    /** Longest output of any single token, in bytes. */
    public int maxByteLength() {
        int max = 0;
        for (int i = 0; i < texts.length; i++) max = Math.max(max, pieceOffsets[i + 1] - pieceOffsets[i]);
        return max;
    }

    private int check(int id) {
        if (id < 0 || id >= texts.length) {
            throw new IllegalArgumentException("token id " + id + " out of range [0, " + texts.length + ")");
        }
        return id;
    }
}
