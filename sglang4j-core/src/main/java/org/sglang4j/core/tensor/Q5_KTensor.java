package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/**
 * ggml Q5_K: super-blocks of 256 values, 176 bytes each:
 * {@code f16 d; f16 dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}. Like {@link Q4_KTensor}, plus a fifth bit per
 * value: for sub-block {@code j} (nibbles of {@code qs[32(j/2) + l]}) it is bit {@code j} of {@code qh[l]}.
 * A value is {@code d·sc·q − dmin·m} with {@code q ∈ [0, 32)}.
 */
public record Q5_KTensor(MemorySegment data, int rows, int cols) implements Tensor {
    private static final int BLOCK = 256;
    private static final int BYTES = 176;

    public Q5_KTensor {
        Layouts.checkShape(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
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
            float dmin = Layouts.half(data, o + 2);
            for (int g = 0; g < 4; g++) {
                float d1 = d * KQuantScales.scale(data, o + 4, 2 * g);
                float m1 = dmin * KQuantScales.min(data, o + 4, 2 * g);
                float d2 = d * KQuantScales.scale(data, o + 4, 2 * g + 1);
                float m2 = dmin * KQuantScales.min(data, o + 4, 2 * g + 1);
                int y = off + b * BLOCK + 64 * g;
                for (int l = 0; l < 32; l++) {
                    int q = data.get(I8, o + 48 + 32 * g + l) & 0xFF;
                    int h = data.get(I8, o + 16 + l) & 0xFF;
                    dst[y + l] = d1 * ((q & 0xF) | ((h >> (2 * g)) & 1) << 4) - m1;
                    dst[y + 32 + l] = d2 * ((q >> 4) | ((h >> (2 * g + 1)) & 1) << 4) - m2;
                }
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
        for (int b = 0; b < blocks; b++, o += BYTES) {
            float d = Layouts.half(data, o);
            float dmin = -Layouts.half(data, o + 2);
            long lo = data.get(Layouts.I64, o + 4);
            int hi = data.get(Layouts.I32, o + 12);
            long sc = KQuantScales.scales(lo, hi);
            long mn = KQuantScales.mins(lo, hi);
            for (int g = 0; g < 4; g++, off += 64) {
                FloatVector d1 = FloatVector.broadcast(Simd.F, d * KQuantScales.at(sc, 2 * g));
                FloatVector m1 = FloatVector.broadcast(Simd.F, dmin * KQuantScales.at(mn, 2 * g));
                FloatVector d2 = FloatVector.broadcast(Simd.F, d * KQuantScales.at(sc, 2 * g + 1));
                FloatVector m2 = FloatVector.broadcast(Simd.F, dmin * KQuantScales.at(mn, 2 * g + 1));
                for (int l = 0; l < 32; l += Simd.L) {
                    ByteVector q = ByteVector.fromMemorySegment(Simd.B, data, o + 48 + 32 * g + l, Layouts.LE);
                    ByteVector h = Simd.shiftRight(
                            ByteVector.fromMemorySegment(Simd.B, data, o + 16 + l, Layouts.LE), 2 * g);
                    Simd.toFloat(q.and((byte) 0xF).or(Simd.shiftLeft(h.and((byte) 1), 4)))
                            .fma(d1, m1).intoArray(dst, off + l);
                    Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF).or(Simd.shiftLeft(h.and((byte) 2), 3)))
                            .fma(d2, m2).intoArray(dst, off + 32 + l);
                }
            }
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    /** As {@link Q4_KTensor}'s dot, with the fifth bit of each value taken from {@code qh}. */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        int blocks = cols / BLOCK;
        long o = row * rowBytes(cols);
        FloatVector acc0 = FloatVector.zero(Simd.F), acc1 = acc0;
        for (int b = 0, xi = xOff; b < blocks; b++, o += BYTES) {
            float d = Layouts.half(data, o);
            float dmin = -Layouts.half(data, o + 2);
            long lo = data.get(Layouts.I64, o + 4);
            int hi = data.get(Layouts.I32, o + 12);
            long sc = KQuantScales.scales(lo, hi);
            long mn = KQuantScales.mins(lo, hi);
            for (int g = 0; g < 4; g++, xi += 64) {
                FloatVector d1 = FloatVector.broadcast(Simd.F, d * KQuantScales.at(sc, 2 * g));
                FloatVector m1 = FloatVector.broadcast(Simd.F, dmin * KQuantScales.at(mn, 2 * g));
                FloatVector d2 = FloatVector.broadcast(Simd.F, d * KQuantScales.at(sc, 2 * g + 1));
                FloatVector m2 = FloatVector.broadcast(Simd.F, dmin * KQuantScales.at(mn, 2 * g + 1));
                for (int l = 0; l < 32; l += Simd.L) {
                    ByteVector q = ByteVector.fromMemorySegment(Simd.B, data, o + 48 + 32 * g + l, Layouts.LE);
                    ByteVector h = Simd.shiftRight(
                            ByteVector.fromMemorySegment(Simd.B, data, o + 16 + l, Layouts.LE), 2 * g);
                    acc0 = Simd.toFloat(q.and((byte) 0xF).or(Simd.shiftLeft(h.and((byte) 1), 4)))
                            .fma(d1, m1).fma(FloatVector.fromArray(Simd.F, x, xi + l), acc0);
                    acc1 = Simd.toFloat(Simd.shiftRight(q, 4).and((byte) 0xF).or(Simd.shiftLeft(h.and((byte) 2), 3)))
                            .fma(d2, m2).fma(FloatVector.fromArray(Simd.F, x, xi + 32 + l), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }
}
