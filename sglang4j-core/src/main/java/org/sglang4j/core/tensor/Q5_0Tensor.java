package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/**
 * ggml Q5_0: blocks of 32 values, 22 bytes each: {@code f16 d; u32 qh; u8 qs[16]}. Value {@code i < 16} is
 * {@code d * (((qs[i] & 0xF) | bit(qh, i) << 4) - 16)}, value {@code i + 16} is
 * {@code d * (((qs[i] >> 4) | bit(qh, i + 16) << 4) - 16)}.
 */
public record Q5_0Tensor(MemorySegment data, int rows, int cols) implements Tensor {
    private static final int BLOCK = 32;
    private static final int BYTES = 22;
    public Q5_0Tensor {
        Layouts.checkShape(GgmlType.Q5_0, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_0;
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
            int qh = data.get(Layouts.I32, o + 2);
            int y = off + b * BLOCK;
            for (int i = 0; i < 16; i++) {
                int q = data.get(I8, o + 6 + i) & 0xFF;
                int lo = (q & 0xF) | ((qh >>> i) & 1) << 4;
                int hi = (q >> 4) | ((qh >>> (i + 16)) & 1) << 4;
                dst[y + i] = d * (lo - 16);
                dst[y + i + 16] = d * (hi - 16);
            }
        }
    }

    /** Nibbles with their fifth bit from {@code qh} (bit i of {@code bits} → lane i), minus 16, as floats. */
    private static FloatVector value(ByteVector nibble, int bits) {
        VectorMask<Byte> high = VectorMask.fromLong(Simd.B, bits & 0xFFFFFFFFL);
        return Simd.toFloat(nibble.lanewise(VectorOperators.OR, (byte) 16, high).sub((byte) 16));
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
            int qh = data.get(Layouts.I32, o + 2);
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = ByteVector.fromMemorySegment(Simd.B, data, o + 6 + i, Layouts.LE);
                value(q.and((byte) 0xF), qh >>> i).mul(d).intoArray(dst, off + i);
                value(Simd.shiftRight(q, 4).and((byte) 0xF), qh >>> (16 + i)).mul(d).intoArray(dst, off + 16 + i);
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    /** Per block, Σ q·x is summed unscaled and scaled once into one accumulator (see {@link Q4_0Tensor}). */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes(cols);
        FloatVector acc = FloatVector.zero(Simd.F);
        for (int b = 0, xi = xOff; b < blocks; b++, o += BYTES, xi += BLOCK) {
            int qh = data.get(Layouts.I32, o + 2);
            FloatVector s = FloatVector.zero(Simd.F);
            for (int i = 0; i < 16; i += Simd.L) {
                ByteVector q = ByteVector.fromMemorySegment(Simd.B, data, o + 6 + i, Layouts.LE);
                s = value(q.and((byte) 0xF), qh >>> i).fma(FloatVector.fromArray(Simd.F, x, xi + i), s);
                s = value(Simd.shiftRight(q, 4).and((byte) 0xF), qh >>> (16 + i))
                        .fma(FloatVector.fromArray(Simd.F, x, xi + 16 + i), s);
            }
            acc = s.fma(FloatVector.broadcast(Simd.F, Layouts.half(data, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
