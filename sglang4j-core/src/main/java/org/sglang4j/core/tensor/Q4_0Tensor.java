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

    private long rowBytes() {
        return (long) cols / BLOCK * BYTES;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = row * rowBytes();
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

    private ByteVector low(long at) {
        return ByteVector.fromMemorySegment(Simd.B, data, at, Layouts.LE);
    }

    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        int blocks = (rowEnd - rowStart) * (cols / BLOCK);
        long o = rowStart * rowBytes();
        for (int b = 0; b < blocks; b++, o += BYTES, off += BLOCK) {
            FloatVector d = FloatVector.broadcast(Simd.F, Layouts.half(data, o));
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = low(o + 2 + i);
                Simd.toFloat(q.and((byte) 0xF).sub((byte) 8)).mul(d).intoArray(dst, off + i);
                Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF).sub((byte) 8)).mul(d).intoArray(dst, off + 16 + i);
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(r, x, xOff);
    }

    /**
     * Per block, Σ q·x is summed unscaled and then scaled once into one accumulator. One chain (one FMA per
     * 32 values) is not the bottleneck, and the small loop body keeps C2 from giving up on inlining the Vector
     * API calls (a vector left un-inlined is boxed on the heap, ten times slower).
     */
    private float dot(int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes();
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0, xi = xOff; b < blocks; b++, o += BYTES, xi += BLOCK) {
            FloatVector s = FloatVector.zero(Simd.F);
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = low(o + 2 + i);
                s = Simd.toFloat(q.and((byte) 0xF).sub((byte) 8)).fma(FloatVector.fromArray(Simd.F, x, xi + i), s);
                s = Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF).sub((byte) 8))
                        .fma(FloatVector.fromArray(Simd.F, x, xi + 16 + i), s);
            }
            acc = s.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
