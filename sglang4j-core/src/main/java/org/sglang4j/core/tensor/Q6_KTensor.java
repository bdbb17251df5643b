package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/**
 * ggml Q6_K: super-blocks of 256 values, 210 bytes each: {@code u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}.
 * Each half of 128 values uses 64 bytes of {@code ql}, 32 of {@code qh} and 8 scales. For {@code l < 32} the
 * four values {@code l, l+32, l+64, l+96} of a half take the low nibble of {@code ql[l]}, the low nibble of
 * {@code ql[l+32]}, the high nibble of {@code ql[l]} and the high nibble of {@code ql[l+32]}, with bit pairs
 * 0–1, 2–3, 4–5, 6–7 of {@code qh[l]} on top; a value is {@code d·scale[16-group]·(q − 32)}.
 */
public record Q6_KTensor(MemorySegment data, int rows, int cols) implements Tensor {
    private static final int BLOCK = 256;
    private static final int BYTES = 210;

    public Q6_KTensor {
        Layouts.checkShape(GgmlType.Q6_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    private static long rowBytes(int cols) {
        return (long) cols / BLOCK * BYTES;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = row * rowBytes(cols);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = Layouts.half(data, o + 208);
            for (int n = 0; n < 2; n++) {
                long ql = o + 64 * n;
                long qh = o + 128 + 32 * n;
                long sc = o + 192 + 8 * n;
                int y = off + b * BLOCK + 128 * n;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int a = data.get(I8, ql + l) & 0xFF;
                    int c = data.get(I8, ql + l + 32) & 0xFF;
                    int h = data.get(I8, qh + l) & 0xFF;
                    dst[y + l] = d * data.get(I8, sc + is) * (((a & 0xF) | (h & 3) << 4) - 32);
                    dst[y + l + 32] = d * data.get(I8, sc + is + 2) * (((c & 0xF) | ((h >> 2) & 3) << 4) - 32);
                    dst[y + l + 64] = d * data.get(I8, sc + is + 4) * (((a >> 4) | ((h >> 4) & 3) << 4) - 32);
                    dst[y + l + 96] = d * data.get(I8, sc + is + 6) * (((c >> 4) | ((h >> 6) & 3) << 4) - 32);
                }
            }
        }
    }

    /**
     * Vector loop over one half (128 values): source {@code s} is {@code ql[l]} (s = 0) or {@code ql[l + 32]}
     * (s = 1); its low nibbles are quarter {@code s} and its high nibbles quarter {@code s + 2}, with bit pairs
     * {@code 2s} and {@code 2s + 4} of {@code qh[l]} on top. The 16 signed scales are read as two longs.
     */
    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        decode(data, cols, rowStart, rowEnd, dst, off);
    }

    /** Static, with the segment and row length as locals, so C2 keeps them in registers across the loop. */
    private static void decode(MemorySegment data, int cols, int rowStart, int rowEnd, float[] dst, int off) {
        int blocks = (rowEnd - rowStart) * (cols / BLOCK);
        long o = rowStart * rowBytes(cols);
        for (int b = 0; b < blocks; b++, o += BYTES) {
            float d = Layouts.half(data, o + 208);
            for (int n = 0; n < 2; n++, off += 128) {
                long sc = data.get(Layouts.I64, o + 192 + 8 * n);
                for (int s = 0; s < 2; s++) {
                    for (int l = 0; l < 32; l += Simd.L) {
                        int is = l / 16 + 2 * s;
                        ByteVector src = ByteVector.fromMemorySegment(Simd.B, data, o + 64 * n + 32 * s + l, Layouts.LE);
                        ByteVector h = Simd.shiftRight(
                                ByteVector.fromMemorySegment(Simd.B, data, o + 128 + 32 * n + l, Layouts.LE), 2 * s);
                        Simd.toFloat(src.and((byte) 0xF).or(Simd.shiftLeft(h.and((byte) 3), 4)).sub((byte) 32))
                                .mul(d * (byte) (sc >>> (is << 3))).intoArray(dst, off + 32 * s + l);
                        Simd.toFloat(Simd.shiftRight(src, 4).and((byte) 0xF).or(h.and((byte) 0x30)).sub((byte) 32))
                                .mul(d * (byte) (sc >>> ((is + 4) << 3))).intoArray(dst, off + 64 + 32 * s + l);
                    }
                }
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    /** Same loop as {@link #dequantizeRows}, multiplied into two accumulators (low and high nibbles). */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes(cols);
        FloatVector acc0 = FloatVector.zero(Simd.F), acc1 = acc0;
        for (int b = 0, xi = xOff; b < blocks; b++, o += BYTES) {
            float d = Layouts.half(data, o + 208);
            for (int n = 0; n < 2; n++, xi += 128) {
                long sc = data.get(Layouts.I64, o + 192 + 8 * n);
                for (int s = 0; s < 2; s++) {
                    for (int l = 0; l < 32; l += Simd.L) {
                        int is = l / 16 + 2 * s;
                        ByteVector src = ByteVector.fromMemorySegment(Simd.B, data, o + 64 * n + 32 * s + l, Layouts.LE);
                        ByteVector h = Simd.shiftRight(
                                ByteVector.fromMemorySegment(Simd.B, data, o + 128 + 32 * n + l, Layouts.LE), 2 * s);
                        acc0 = Simd.toFloat(src.and((byte) 0xF).or(Simd.shiftLeft(h.and((byte) 3), 4))
                                        .sub((byte) 32)).mul(d * (byte) (sc >>> (is << 3)))
                                .fma(FloatVector.fromArray(Simd.F, x, xi + 32 * s + l), acc0);
                        acc1 = Simd.toFloat(Simd.shiftRight(src, 4).and((byte) 0xF).or(h.and((byte) 0x30)).sub((byte) 32))
                                .mul(d * (byte) (sc >>> ((is + 4) << 3)))
                                .fma(FloatVector.fromArray(Simd.F, x, xi + 64 + 32 * s + l), acc1);
                    }
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
}
