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

    private long rowBytes() {
        return (long) cols / BLOCK * BYTES;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = row * rowBytes();
        for (int b = 0; b < cols / BLOCK; b++) {
            long o = base + (long) b * BYTES;
            float d = Layouts.half(data, o);
            for (int i = 0; i < BLOCK; i++) dst[off + b * BLOCK + i] = d * data.get(I8, o + 2 + i);
        }
    }

    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        int blocks = (rowEnd - rowStart) * (cols / BLOCK);
        long o = rowStart * rowBytes();
        for (int b = 0; b < blocks; b++, o += BYTES, off += BLOCK) {
            FloatVector d = FloatVector.broadcast(Simd.F, Layouts.half(data, o));
            for (int i = 0; i < BLOCK; i += Simd.L) {
                Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, o + 2 + i, Layouts.LE)).mul(d)
                        .intoArray(dst, off + i);
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(r, x, xOff);
    }

    /**
     * Per block, Σ q·x is summed unscaled and scaled once; two accumulators alternate blocks. Vector code is kept
     * in small methods on purpose: C2 stops inlining Vector API calls once a method's graph grows too large, and
     * a vector that is not inlined is boxed on the heap (ten times slower).
     */
    private float dot(int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes();
        FloatVector acc0 = FloatVector.zero(Simd.F), acc1 = acc0;
        int b = 0;
        for (int xi = xOff; b + 1 < blocks; b += 2, o += 2 * BYTES, xi += 2 * BLOCK) {
            acc0 = blockDot(o, x, xi).fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o)), acc0);
            acc1 = blockDot(o + BYTES, x, xi + BLOCK).fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o + BYTES)), acc1);
        }
        if (b < blocks) acc0 = blockDot(o, x, xOff + b * BLOCK).fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o)), acc0);
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    private FloatVector blockDot(long o, float[] x, int xi) {
        FloatVector s = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, o + 2, Layouts.LE))
                .mul(FloatVector.fromArray(Simd.F, x, xi));
        for (int i = Simd.L; i < BLOCK; i += Simd.L) {
            s = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, o + 2 + i, Layouts.LE))
                    .fma(FloatVector.fromArray(Simd.F, x, xi + i), s);
        }
        return s;
    }
}
