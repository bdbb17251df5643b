package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte scale field of Q4_K and Q5_K super-blocks: eight 6-bit scales and eight 6-bit mins, one pair per
 * 32-value sub-block. Sub-blocks 0–3 keep theirs in the low 6 bits of bytes 0–3 (scales) and 4–7 (mins);
 * sub-blocks 4–7 keep the low 4 bits in the nibbles of bytes 8–11 and the high 2 bits in the top bits of
 * bytes 0–7.
 */
final class KQuantScales {
    private KQuantScales() {}

    static int scale(MemorySegment data, long s, int j) {
        if (j < 4) return data.get(I8, s + j) & 63;
        return (data.get(I8, s + j + 4) & 0xF) | ((data.get(I8, s + j - 4) & 0xFF) >>> 6) << 4;
    }

    static int min(MemorySegment data, long s, int j) {
        if (j < 4) return data.get(I8, s + j + 4) & 63;
        return ((data.get(I8, s + j + 4) & 0xFF) >>> 4) | ((data.get(I8, s + j) & 0xFF) >>> 6) << 4;
    }
}
