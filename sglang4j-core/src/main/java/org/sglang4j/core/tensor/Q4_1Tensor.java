package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/**
 * ggml Q4_1: blocks of 32 values, 20 bytes each: {@code f16 d; f16 m; u8 qs[16]}. Value {@code i < 16} is
 * {@code d * (qs[i] & 0xF) + m}, value {@code i + 16} is {@code d * (qs[i] >> 4) + m}.
 */
public record Q4_1Tensor(MemorySegment data, int rows, int cols) implements Tensor {
    private static final int BLOCK = 32;
    private static final int BYTES = 20;

    public Q4_1Tensor {
        Layouts.checkShape(GgmlType.Q4_1, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
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
            float m = Layouts.half(data, o + 2);
            int y = off + b * BLOCK;
            for (int i = 0; i < 16; i++) {
                int q = data.get(I8, o + 4 + i) & 0xFF;
                dst[y + i] = d * (q & 0xF) + m;
                dst[y + i + 16] = d * (q >> 4) + m;
            }
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
            FloatVector m = FloatVector.broadcast(Simd.F, Layouts.half(data, o + 2));
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = ByteVector.fromMemorySegment(Simd.B, data, o + 4 + i, Layouts.LE);
                Simd.toFloat(q.and((byte) 0xF)).fma(d, m).intoArray(dst, off + i);
                Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF)).fma(d, m).intoArray(dst, off + 16 + i);
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    /** Each half-block is dequantized in registers ({@code q·d + m}) and multiplied into its own accumulator. */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes(cols);
        FloatVector acc0 = FloatVector.zero(Simd.F), acc1 = acc0;
        for (int b = 0; b < blocks; b++, o += BYTES) {
            FloatVector d = FloatVector.broadcast(Simd.F, Layouts.half(data, o));
            FloatVector m = FloatVector.broadcast(Simd.F, Layouts.half(data, o + 2));
            int xi = xOff + b * BLOCK;
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = ByteVector.fromMemorySegment(Simd.B, data, o + 4 + i, Layouts.LE);
                acc0 = Simd.toFloat(q.and((byte) 0xF)).fma(d, m).fma(FloatVector.fromArray(Simd.F, x, xi + i), acc0);
                acc1 = Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF)).fma(d, m)
                        .fma(FloatVector.fromArray(Simd.F, x, xi + 16 + i), acc1);
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
}
