package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale field of Q4_K and Q5_K super-blocks: eight 6-bit scales and eight 6-bit mins, one pair per
 * 32-value sub-block. Sub-blocks 0–3 keep theirs in the low 6 bits of bytes 0–3 (scales) and 4–7 (mins);
 * sub-blocks 4–7 keep the low 4 bits in the nibbles of bytes 8–11 and the high 2 bits in the top bits of
 * bytes 0–7. The kernels read the field as one long ({@code lo}, bytes 0–7) and one int ({@code hi}, bytes
 * 8–11) and unpack all eight values at once in a register: byte {@code j} of the result is sub-block {@code j}'s.
 */
final class KQuantScales {
    private KQuantScales() {}

    /** Scale of sub-block {@code j} read byte by byte from the field at {@code s} (the scalar reference path). */
    static int scale(MemorySegment data, long s, int j) {
        if (j < 4) return data.get(I8, s + j) & 63;
        return (data.get(I8, s + j + 4) & 0xF) | ((data.get(I8, s + j - 4) & 0xFF) >>> 6) << 4;
    }

    /** Min of sub-block {@code j}, byte by byte. */
    static int min(MemorySegment data, long s, int j) {
        if (j < 4) return data.get(I8, s + j + 4) & 63;
        return ((data.get(I8, s + j + 4) & 0xFF) >>> 4) | ((data.get(I8, s + j) & 0xFF) >>> 6) << 4;
    }

    static long scales(long lo, int hi) {
        int low = (int) lo & 0x3F3F3F3F;
        int high = hi & 0x0F0F0F0F | ((int) lo & 0xC0C0C0C0) >>> 2;
        return (low & 0xFFFFFFFFL) | (long) high << 32;
    }

    static long mins(long lo, int hi) {
        int low = (int) (lo >>> 32) & 0x3F3F3F3F;
        int high = hi >>> 4 & 0x0F0F0F0F | ((int) (lo >>> 32) & 0xC0C0C0C0) >>> 2;
        return (low & 0xFFFFFFFFL) | (long) high << 32;
    }

    /** Byte {@code j} of a packed result. */
    static int at(long packed, int j) {
        return (int) (packed >>> (j << 3)) & 0xFF;
    }
}
