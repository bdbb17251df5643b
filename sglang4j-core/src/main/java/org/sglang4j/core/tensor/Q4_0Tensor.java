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
    public boolean hasPackedKernels() {
        return true;
    }

    @Override
    public void dotRowsPacked(int rowStart, int rowEnd, float[] packed, int pOff, int slots, int nTokens,
                              float[] out, int outOff, int outStride) {
        Q4_0Packed.dotRows(data, cols, rowStart, rowEnd, packed, pOff, slots, nTokens, out, outOff, outStride);
    }
}
