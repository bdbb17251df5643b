package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/**
 * ggml Q8_0: blocks of 32 values, 34 bytes each: {@code f16 d; int8 qs[32]}; value {@code i} is {@code d * qs[i]}.
 */
public record Q8_0Tensor(MemorySegment data, int rows, int cols) implements Tensor {
    private static final int BLOCK = 32;
    private static final int BYTES = 34;

    public Q8_0Tensor {
        Layouts.checkShape(GgmlType.Q8_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
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
            for (int i = 0; i < BLOCK; i++) dst[off + b * BLOCK + i] = d * data.get(I8, o + 2 + i);
        }
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
            for (int i = 0; i < BLOCK; i += Simd.L) {
                Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, o + 2 + i, Layouts.LE)).mul(d)
                        .intoArray(dst, off + i);
            }
        }
    }

    /**
     * Rows are taken four at a time, row i of each quarter of the range together: four sequential streams far
     * apart keep the hardware prefetchers busy, and each loaded x vector serves four rows (long rows would
     * otherwise push x out of L1 between rows).
     */
    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        int quarter = (rowEnd - rowStart + 3) / 4;
        for (int i = 0; i < quarter; i++) {
            int a = rowStart + i;
            int b = Math.min(a + quarter, rowEnd - 1);
            int c = Math.min(a + 2 * quarter, rowEnd - 1);
            int d = Math.min(a + 3 * quarter, rowEnd - 1);
            dot4(data, cols, a * rowBytes(cols), b * rowBytes(cols), c * rowBytes(cols), d * rowBytes(cols), x, xOff,
                    out, outOff + i, outOff + b - rowStart, outOff + c - rowStart, outOff + d - rowStart);
        }
    }

    /**
     * Per block, Σ q·x is summed unscaled and then scaled once into one accumulator. Vector code stays in small
     * static loops on purpose: C2 stops inlining Vector API calls once a method's graph grows too large, and a
     * vector that is not inlined is boxed on the heap (ten times slower).
     */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes(cols);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0, xi = xOff; b < blocks; b++, o += BYTES, xi += BLOCK) {
            FloatVector s = FloatVector.zero(Simd.F);
            for (int i = 0; i < BLOCK; i += Simd.L) {
                s = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, o + 2 + i, Layouts.LE))
                        .fma(FloatVector.fromArray(Simd.F, x, xi + i), s);
            }
            acc = s.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * {@link #dot} of the four rows at byte offsets {@code oa … od} at once, into {@code out[ia … id]} (rows may
     * repeat at the end of a range; they then write the same value twice).
     */
    private static void dot4(MemorySegment data, int cols, long oa, long ob, long oc, long od, float[] x, int xOff,
                             float[] out, int ia, int ib, int ic, int id) {
        FloatVector accA = FloatVector.zero(Simd.F), accB = accA, accC = accA, accD = accA;
        for (int c = 0; c < cols; c += BLOCK, oa += BYTES, ob += BYTES, oc += BYTES, od += BYTES) {
            FloatVector sa = FloatVector.zero(Simd.F), sb = sa, sc = sa, sd = sa;
            for (int i = 0; i < BLOCK; i += Simd.L) {
                FloatVector u = FloatVector.fromArray(Simd.F, x, xOff + c + i);
                sa = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oa + 2 + i, Layouts.LE)).fma(u, sa);
                sb = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, ob + 2 + i, Layouts.LE)).fma(u, sb);
                sc = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oc + 2 + i, Layouts.LE)).fma(u, sc);
                sd = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, od + 2 + i, Layouts.LE)).fma(u, sd);
            }
            accA = sa.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, oa)), accA);
            accB = sb.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, ob)), accB);
            accC = sc.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, oc)), accC);
            accD = sd.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, od)), accD);
        }
        out[ia] = accA.reduceLanes(VectorOperators.ADD);
        out[ib] = accB.reduceLanes(VectorOperators.ADD);
        out[ic] = accC.reduceLanes(VectorOperators.ADD);
        out[id] = accD.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public boolean hasPackedKernels() {
        return true;
    }

    @Override
    public void dotRowsPacked(int rowStart, int rowEnd, float[] packed, int pOff, int slots, int nTokens,
                              float[] out, int outOff, int outStride) {
        Q8_0Packed.dotRows(data, cols, rowStart, rowEnd, packed, pOff, slots, nTokens, out, outOff, outStride);
    }
}
