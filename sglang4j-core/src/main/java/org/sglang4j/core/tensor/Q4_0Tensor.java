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

    /**
     * Rows are taken in pairs, row i of the first half with row i of the second: two sequential streams far apart
     * keep the hardware prefetchers busier than one, which matters in this memory-bound path.
     */
    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        int half = (rowEnd - rowStart + 1) / 2;
        for (int i = 0; i < half; i++) {
            int a = rowStart + i;
            int b = a + half;
            if (b < rowEnd) dot2(data, cols, a * rowBytes(cols), b * rowBytes(cols), x, xOff, out, outOff + i, outOff + half + i);
            else out[outOff + i] = dot(data, cols, a, x, xOff);
        }
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

    /** {@link #dot} of the rows at byte offsets {@code oa} and {@code ob} at once, into {@code out[ia]}, {@code out[ib]}. */
    private static void dot2(MemorySegment data, int cols, long oa, long ob, float[] x, int xOff, float[] out, int ia,
                             int ib) {
        FloatVector accA = FloatVector.zero(Simd.F), accB = accA;
        for (int c = 0; c < cols; c += BLOCK, oa += BYTES, ob += BYTES) {
            // Kept minimal: a peeled first step (mul instead of fma) tips the 256-bit build over C2's inlining budget.
            FloatVector sa = FloatVector.zero(Simd.F), sb = sa;
            for (int i = 0; i < 16; i += Simd.L) {
                FloatVector lo = FloatVector.fromArray(Simd.F, x, xOff + c + i);
                FloatVector hi = FloatVector.fromArray(Simd.F, x, xOff + c + 16 + i);
                ByteVector qa = low(data, oa + 2 + i);
                ByteVector qb = low(data, ob + 2 + i);
                sa = Simd.toFloat(qa.and((byte) 0xF).sub((byte) 8)).fma(lo, sa);
                sa = Simd.toFloat(Simd.shiftRight(qa, 4).and((byte) 0xF).sub((byte) 8)).fma(hi, sa);
                sb = Simd.toFloat(qb.and((byte) 0xF).sub((byte) 8)).fma(lo, sb);
                sb = Simd.toFloat(Simd.shiftRight(qb, 4).and((byte) 0xF).sub((byte) 8)).fma(hi, sb);
            }
            accA = sa.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, oa)), accA);
            accB = sb.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, ob)), accB);
        }
        out[ia] = accA.reduceLanes(VectorOperators.ADD);
        out[ib] = accB.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public boolean hasPacked8Kernel() {
        return true;
    }

    /**
     * Rows are taken in threes, row i of each third of the range together: three sequential streams far apart
     * keep the hardware prefetchers busy, and each packed token vector feeds three rows.
     */
    @Override
    public boolean dotRowsPacked8(int rowStart, int rowEnd, float[] packed, int nTokens, float[] out, int outOff,
                                  int outStride) {
        int third = (rowEnd - rowStart + 2) / 3;
        for (int i = 0; i < third; i++) {
            int a = rowStart + i;
            int b = a + third;
            int c = b + third;
            boolean hasB = b < rowEnd;
            boolean hasC = c < rowEnd;
            tile3x8(data, cols, a * rowBytes(cols), (hasB ? b : a) * rowBytes(cols), (hasC ? c : a) * rowBytes(cols),
                    packed, nTokens, out, outOff + i, outOff + third + i, outOff + 2 * third + i, outStride, hasB, hasC);
        }
        return true;
    }

    /**
     * Values {@code c … c+L} of a block are the low nibbles of bytes {@code c % 16 …} when {@code c % 32 < 16},
     * else their high nibbles: one loop over vectors with a computed shift, no branch (see {@link Q8_0Tensor}).
     */
    private static void tile3x8(MemorySegment data, int cols, long oa, long ob, long oc, float[] x, int nTokens,
                                float[] out, int ia, int ib, int ic, int stride, boolean hasB, boolean hasC) {
        FloatVector z = FloatVector.zero(Simd.F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int col = 0, xi = 0; col < cols; col += Simd.L, xi += 8 * Simd.L) {
            long pa = oa + (long) (col / BLOCK) * BYTES;
            long pb = ob + (long) (col / BLOCK) * BYTES;
            long pc = oc + (long) (col / BLOCK) * BYTES;
            int in = 2 + col % 16;
            int shift = (col & 16) >> 2;
            FloatVector va = Simd.toFloat(Simd.shiftRight(low(data, pa + in), shift).and((byte) 0xF).sub((byte) 8))
                    .mul(Layouts.half(data, pa));
            FloatVector vb = Simd.toFloat(Simd.shiftRight(low(data, pb + in), shift).and((byte) 0xF).sub((byte) 8))
                    .mul(Layouts.half(data, pb));
            FloatVector vc = Simd.toFloat(Simd.shiftRight(low(data, pc + in), shift).and((byte) 0xF).sub((byte) 8))
                    .mul(Layouts.half(data, pc));
            FloatVector u;
            u = FloatVector.fromArray(Simd.F, x, xi + 0 * Simd.L);
            a0 = va.fma(u, a0);
            b0 = vb.fma(u, b0);
            c0 = vc.fma(u, c0);
            u = FloatVector.fromArray(Simd.F, x, xi + 1 * Simd.L);
            a1 = va.fma(u, a1);
            b1 = vb.fma(u, b1);
            c1 = vc.fma(u, c1);
            u = FloatVector.fromArray(Simd.F, x, xi + 2 * Simd.L);
            a2 = va.fma(u, a2);
            b2 = vb.fma(u, b2);
            c2 = vc.fma(u, c2);
            u = FloatVector.fromArray(Simd.F, x, xi + 3 * Simd.L);
            a3 = va.fma(u, a3);
            b3 = vb.fma(u, b3);
            c3 = vc.fma(u, c3);
            u = FloatVector.fromArray(Simd.F, x, xi + 4 * Simd.L);
            a4 = va.fma(u, a4);
            b4 = vb.fma(u, b4);
            c4 = vc.fma(u, c4);
            u = FloatVector.fromArray(Simd.F, x, xi + 5 * Simd.L);
            a5 = va.fma(u, a5);
            b5 = vb.fma(u, b5);
            c5 = vc.fma(u, c5);
            u = FloatVector.fromArray(Simd.F, x, xi + 6 * Simd.L);
            a6 = va.fma(u, a6);
            b6 = vb.fma(u, b6);
            c6 = vc.fma(u, c6);
            u = FloatVector.fromArray(Simd.F, x, xi + 7 * Simd.L);
            a7 = va.fma(u, a7);
            b7 = vb.fma(u, b7);
            c7 = vc.fma(u, c7);
        }
        // Reductions written out inline: a helper taking vectors may not be inlined this late in a big method.
        {
            out[ia + 0 * stride] = a0.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 0 * stride] = b0.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 0 * stride] = c0.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 1) {
            out[ia + 1 * stride] = a1.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 1 * stride] = b1.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 1 * stride] = c1.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 2) {
            out[ia + 2 * stride] = a2.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 2 * stride] = b2.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 2 * stride] = c2.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 3) {
            out[ia + 3 * stride] = a3.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 3 * stride] = b3.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 3 * stride] = c3.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 4) {
            out[ia + 4 * stride] = a4.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 4 * stride] = b4.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 4 * stride] = c4.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 5) {
            out[ia + 5 * stride] = a5.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 5 * stride] = b5.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 5 * stride] = c5.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 6) {
            out[ia + 6 * stride] = a6.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 6 * stride] = b6.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 6 * stride] = c6.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 7) {
            out[ia + 7 * stride] = a7.reduceLanes(VectorOperators.ADD);
            if (hasB) out[ib + 7 * stride] = b7.reduceLanes(VectorOperators.ADD);
            if (hasC) out[ic + 7 * stride] = c7.reduceLanes(VectorOperators.ADD);
        }
    }
}
