package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/**
 * ggml Q4_0: blocks of 32 values, 18 bytes each: {@code f16 d; u8 qs[16]}. Value {@code i < 16} is
 * {@code d * ((qs[i] & 0xF) - 8)}, value {@code i + 16} is {@code d * ((qs[i] >> 4) - 8)}.
 */
public record Q4_0Tensor(MemorySegment data, int rows, int cols) implements Tensor {
    private static final int BLOCK = 32;
    private static final int BYTES = 18;

    public Q4_0Tensor {
        Layouts.checkShape(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    private static long rowBytes(int cols) {
        return (long) cols / BLOCK * BYTES;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = row * rowBytes(cols);
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = Layouts.half(data, o);
            int y = off + b * BLOCK;
            for (int i = 0; i < 16; i++) {
                int q = data.get(I8, o + 2 + i) & 0xFF;
                dst[y + i] = d * ((q & 0xF) - 8);
                dst[y + i + 16] = d * ((q >> 4) - 8);
            }
        }
    }

    private static ByteVector low(MemorySegment data, long at) {
        return ByteVector.fromMemorySegment(Simd.B, data, at, Layouts.LE);
    }

    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        decode(data, cols, rowStart, rowEnd, dst, off);
    }

    /** Static, with the segment and row length as locals, so C2 keeps them in registers across the loop. */
    private static void decode(MemorySegment data, int cols, int rowStart, int rowEnd, float[] dst, int off) {
        int blocks = (rowEnd - rowStart) * (cols / BLOCK);
        long o = rowStart * rowBytes(cols);
        for (int b = 0; b < blocks; b++, o += BYTES, off += BLOCK) {
            FloatVector d = FloatVector.broadcast(Simd.F, Layouts.half(data, o));
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = low(data, o + 2 + i);
                Simd.toFloat(q.and((byte) 0xF).sub((byte) 8)).mul(d).intoArray(dst, off + i);
                Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF).sub((byte) 8)).mul(d).intoArray(dst, off + 16 + i);
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    /**
     * Per block, Σ q·x is summed unscaled and then scaled once into one accumulator. One chain (one FMA per
     * 32 values) is not the bottleneck, and the small loop body keeps C2 from giving up on inlining the Vector
     * API calls (a vector left un-inlined is boxed on the heap, ten times slower).
     */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes(cols);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0, xi = xOff; b < blocks; b++, o += BYTES, xi += BLOCK) {
            FloatVector s = FloatVector.zero(Simd.F);
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = low(data, o + 2 + i);
                s = Simd.toFloat(q.and((byte) 0xF).sub((byte) 8)).fma(FloatVector.fromArray(Simd.F, x, xi + i), s);
                s = Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF).sub((byte) 8))
                        .fma(FloatVector.fromArray(Simd.F, x, xi + 16 + i), s);
            }
            acc = s.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Eight packed token slots, two rows at a time, dequantized in registers (see {@link Q8_0Tensor}). */
    @Override
    public boolean dotRowsPacked8(int rowStart, int rowEnd, float[] packed, int nTokens, float[] out, int outOff,
                                  int outStride) {
        for (int r = rowStart; r < rowEnd; r += 2) {
            boolean second = r + 1 < rowEnd;
            tile2x8(data, cols, r * rowBytes(cols), (second ? r + 1 : r) * rowBytes(cols), packed, nTokens, out,
                    outOff + r - rowStart, outStride, second);
        }
        return true;
    }

    /**
     * Values {@code c … c+L} of a block are the low nibbles of bytes {@code c % 16 …} when {@code c % 32 < 16},
     * else their high nibbles: one loop over vectors with a computed shift, no branch.
     */
    private static void tile2x8(MemorySegment data, int cols, long o0, long o1, float[] x, int nTokens, float[] out,
                                int o, int stride, boolean second) {
        FloatVector z = FloatVector.zero(Simd.F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        for (int c = 0, xi = 0; c < cols; c += Simd.L, xi += 8 * Simd.L) {
            long p0 = o0 + (long) (c / BLOCK) * BYTES;
            long p1 = o1 + (long) (c / BLOCK) * BYTES;
            int in = 2 + c % 16;
            int shift = (c & 16) >> 2;
            FloatVector v = Simd.toFloat(Simd.shiftRight(low(data, p0 + in), shift).and((byte) 0xF).sub((byte) 8))
                    .mul(Layouts.half(data, p0));
            FloatVector w = Simd.toFloat(Simd.shiftRight(low(data, p1 + in), shift).and((byte) 0xF).sub((byte) 8))
                    .mul(Layouts.half(data, p1));
            FloatVector u;
            u = FloatVector.fromArray(Simd.F, x, xi + 0 * Simd.L);
            a0 = v.fma(u, a0);
            b0 = w.fma(u, b0);
            u = FloatVector.fromArray(Simd.F, x, xi + 1 * Simd.L);
            a1 = v.fma(u, a1);
            b1 = w.fma(u, b1);
            u = FloatVector.fromArray(Simd.F, x, xi + 2 * Simd.L);
            a2 = v.fma(u, a2);
            b2 = w.fma(u, b2);
            u = FloatVector.fromArray(Simd.F, x, xi + 3 * Simd.L);
            a3 = v.fma(u, a3);
            b3 = w.fma(u, b3);
            u = FloatVector.fromArray(Simd.F, x, xi + 4 * Simd.L);
            a4 = v.fma(u, a4);
            b4 = w.fma(u, b4);
            u = FloatVector.fromArray(Simd.F, x, xi + 5 * Simd.L);
            a5 = v.fma(u, a5);
            b5 = w.fma(u, b5);
            u = FloatVector.fromArray(Simd.F, x, xi + 6 * Simd.L);
            a6 = v.fma(u, a6);
            b6 = w.fma(u, b6);
            u = FloatVector.fromArray(Simd.F, x, xi + 7 * Simd.L);
            a7 = v.fma(u, a7);
            b7 = w.fma(u, b7);
        }
        // Reductions written out inline: a helper taking vectors may not be inlined this late in a big method.
        {
            out[o + 0 * stride] = a0.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 0 * stride + 1] = b0.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 1) {
            out[o + 1 * stride] = a1.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 1 * stride + 1] = b1.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 2) {
            out[o + 2 * stride] = a2.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 2 * stride + 1] = b2.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 3) {
            out[o + 3 * stride] = a3.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 3 * stride + 1] = b3.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 4) {
            out[o + 4 * stride] = a4.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 4 * stride + 1] = b4.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 5) {
            out[o + 5 * stride] = a5.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 5 * stride + 1] = b5.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 6) {
            out[o + 6 * stride] = a6.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 6 * stride + 1] = b6.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 7) {
            out[o + 7 * stride] = a7.reduceLanes(VectorOperators.ADD);
            if (second) out[o + 7 * stride + 1] = b7.reduceLanes(VectorOperators.ADD);
        }
    }
}
