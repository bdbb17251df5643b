package org.sglang4j.core.tokenizer;

/**
 * GPT-2's reversible byte ↔ unicode mapping: byte-level BPE vocabularies store every token as a string of
 * "printable" code points, one per byte. Printable Latin-1 bytes map to themselves, the other 68 bytes to
 * U+0100.. in byte order (so a space is {@code Ġ} U+0120 and a newline {@code Ċ} U+010A).
 */
final class ByteLevel {
    private ByteLevel() {}

    /** byte (0..255) → code point. */
    static final char[] BYTE_TO_CHAR = new char[256];
    /** code point (< 324) → byte, or -1. */
    private static final int[] CHAR_TO_BYTE = new int[324];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    /** The byte a vocabulary code point stands for, or -1 if the code point is not part of the mapping. */
    static int byteOf(int cp) {
        return cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }

    /** Vocabulary string of a byte sequence (what merges and vocab keys are written in). */
    static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) sb.append(BYTE_TO_CHAR[b & 0xFF]);
        return sb.toString();
    }

    /**
     * Raw bytes of a byte-level vocabulary string. A code point outside the mapping (files written by other
     * converters sometimes contain one) contributes its own UTF-8 bytes, so nothing is lost.
     */
    static byte[] decode(String token) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(token.length());
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            int b = byteOf(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                byte[] u = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(u, 0, u.length);
            }
        }
        return out.toByteArray();
    }
}
