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

    private long rowBytes() {
        return (long) cols / BLOCK * BYTES;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = row * rowBytes();
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

    /** {@code (nibble | ((h >>> shift) & 3) << 4) - 32} as floats. */
    private static FloatVector value(ByteVector nibble, ByteVector h, int shift) {
        return Simd.toFloat(nibble.or(h.lanewise(VectorOperators.LSHR, shift).and((byte) 3)
                .lanewise(VectorOperators.LSHL, 4)).sub((byte) 32));
    }

    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        int blocks = (rowEnd - rowStart) * (cols / BLOCK);
        long o = rowStart * rowBytes();
        for (int b = 0; b < blocks; b++, o += BYTES) {
            float d = Layouts.half(data, o + 208);
            for (int n = 0; n < 2; n++, off += 128) {
                long ql = o + 64 * n;
                long qh = o + 128 + 32 * n;
                long sc = o + 192 + 8 * n;
                for (int l = 0; l < 32; l += Simd.L) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(Simd.B, data, ql + l, Layouts.LE);
                    ByteVector c = ByteVector.fromMemorySegment(Simd.B, data, ql + l + 32, Layouts.LE);
                    ByteVector h = ByteVector.fromMemorySegment(Simd.B, data, qh + l, Layouts.LE);
                    value(a.and((byte) 0xF), h, 0).mul(d * data.get(I8, sc + is)).intoArray(dst, off + l);
                    value(c.and((byte) 0xF), h, 2).mul(d * data.get(I8, sc + is + 2)).intoArray(dst, off + l + 32);
                    value(a.lanewise(VectorOperators.LSHR, 4), h, 4).mul(d * data.get(I8, sc + is + 4))
                            .intoArray(dst, off + l + 64);
                    value(c.lanewise(VectorOperators.LSHR, 4), h, 6).mul(d * data.get(I8, sc + is + 6))
                            .intoArray(dst, off + l + 96);
                }
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(r, x, xOff);
    }

    /** One accumulator per value quarter; the scale multiplies the (q·x) partial sum of each vector. */
    private float dot(int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes();
        FloatVector a0 = FloatVector.zero(Simd.F), a1 = a0, a2 = a0, a3 = a0;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            float d = Layouts.half(data, o + 208);
            for (int n = 0; n < 2; n++) {
                long ql = o + 64 * n;
                long qh = o + 128 + 32 * n;
                long sc = o + 192 + 8 * n;
                int xi = xOff + b * BLOCK + 128 * n;
                for (int l = 0; l < 32; l += Simd.L) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(Simd.B, data, ql + l, Layouts.LE);
                    ByteVector c = ByteVector.fromMemorySegment(Simd.B, data, ql + l + 32, Layouts.LE);
                    ByteVector h = ByteVector.fromMemorySegment(Simd.B, data, qh + l, Layouts.LE);
                    a0 = value(a.and((byte) 0xF), h, 0).mul(FloatVector.fromArray(Simd.F, x, xi + l))
                            .fma(FloatVector.broadcast(Simd.F, d * data.get(I8, sc + is)), a0);
                    a1 = value(c.and((byte) 0xF), h, 2).mul(FloatVector.fromArray(Simd.F, x, xi + l + 32))
                            .fma(FloatVector.broadcast(Simd.F, d * data.get(I8, sc + is + 2)), a1);
                    a2 = value(a.lanewise(VectorOperators.LSHR, 4), h, 4)
                            .mul(FloatVector.fromArray(Simd.F, x, xi + l + 64)).fma(FloatVector.broadcast(Simd.F, d * data.get(I8, sc + is + 4)), a2);
                    a3 = value(c.lanewise(VectorOperators.LSHR, 4), h, 6)
                            .mul(FloatVector.fromArray(Simd.F, x, xi + l + 96)).fma(FloatVector.broadcast(Simd.F, d * data.get(I8, sc + is + 6)), a3);
                }
            }
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }
}
