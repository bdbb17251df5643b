package org.sglang4j.core.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 conversions with the project's rules for bad input: a lone surrogate in a Java string encodes as U+FFFD
 * (it is not text), invalid bytes decode to U+FFFD, and {@link #decodeStrict} rejects them naming the offset.
 */
public final class Utf8 {
    private Utf8() {}

    /** UTF-8 of {@code s[from, to)}; unpaired surrogates become U+FFFD (EF BF BD). */
    public static byte[] encode(String s, int from, int to) {
        byte[] out = new byte[(to - from) * 3];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) c = '\uFFFD';
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    public static byte[] encode(String s) { return encode(s, 0, s.length()); }

    /** Decodes, replacing each invalid sequence with U+FFFD (exactly as {@link #decodeInto} does when streaming). */
    public static String decode(byte[] bytes, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        decodeInto(bytes, off, off + len, true, sb);
        return sb.toString();
    }

    /**
     * Decodes, rejecting invalid UTF-8 with an {@link IllegalArgumentException} that names the byte offset and
     * the bytes there (for request bodies that must be text).
     */
    public static String decodeStrict(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int at = firstInvalidOffset(bytes);
            StringBuilder hex = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + 4); i++) hex.append(String.format(" 0x%02X", bytes[i] & 0xFF));
            throw new IllegalArgumentException("invalid UTF-8 at byte offset " + at + ":" + hex, e);
        }
    }

    /** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
    static int firstInvalidOffset(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int len;
            int min;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                len = 2; min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3; min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4; min = 0x10000;
            } else {
                return i;
            }
            if (i + len > b.length) return i;
            int cp = c & (0xFF >> (len + 1));
            for (int k = 1; k < len; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) return i;
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += len;
        }
        return -1;
    }

    /**
     * Decodes {@code b[from, to)} into {@code out} and returns the index where decoding stopped: {@code to}, or
     * with {@code last == false} the start of a trailing sequence that is valid so far but incomplete (the caller
     * keeps those bytes for the next call). Each maximal ill-formed subpart becomes one U+FFFD (Unicode's
     * recommended practice), so streaming and one-shot decoding give the same text; the JDK's decoder sometimes
     * groups ill-formed bytes differently but keeps the same valid characters.
     */
    static int decodeInto(byte[] b, int from, int to, boolean last, StringBuilder out) {
        int i = from;
        while (i < to) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                out.append((char) c);
                i++;
                continue;
            }
            int need, lo = 0x80, hi = 0xBF, cp;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1; cp = c & 0x1F;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2; cp = c & 0x0F;
                if (c == 0xE0) lo = 0xA0;
                if (c == 0xED) hi = 0x9F; // no surrogates
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3; cp = c & 0x07;
                if (c == 0xF0) lo = 0x90;
                if (c == 0xF4) hi = 0x8F; // nothing above U+10FFFF
            } else {
                out.append('\uFFFD');
                i++;
                continue;
            }
            int j = i + 1, k = 0;
            while (k < need && j < to) {
                int cc = b[j] & 0xFF;
                if (cc < (k == 0 ? lo : 0x80) || cc > (k == 0 ? hi : 0xBF)) break;
                cp = (cp << 6) | (cc & 0x3F);
                j++;
                k++;
            }
            if (k == need) {
                out.appendCodePoint(cp);
            } else if (j == to && !last) {
                return i; // valid so far, wait for the rest
            } else {
                out.append('\uFFFD');
            }
            i = j;
        }
        return to;
    }
}
