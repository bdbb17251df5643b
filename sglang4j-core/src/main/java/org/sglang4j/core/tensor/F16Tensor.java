package org.sglang4j.core.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/** IEEE half-precision (float16) weights. */
public record F16Tensor(MemorySegment data, int rows, int cols) implements Tensor {

    public F16Tensor {
        Layouts.checkShape(GgmlType.F16, data, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    private static float scalar(MemorySegment data, long o) {
        return Float.float16ToFloat(data.get(Layouts.I16, o));
    }

    private static FloatVector vector(MemorySegment data, long o) {
        return Simd.f16ToFloat(ShortVector.fromMemorySegment(Simd.S, data, o, Layouts.LE));
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        long base = (long) row * cols * 2;
        for (int c = 0; c < cols; c++) dst[off + c] = scalar(data, base + 2L * c);
    }

    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        decode(data, cols, rowStart, rowEnd, dst, off);
    }

    /** Static, with the segment and row length as locals, so C2 keeps them in registers across the loop. */
    private static void decode(MemorySegment data, int cols, int rowStart, int rowEnd, float[] dst, int off) {
        int L = Simd.L;
        for (int r = rowStart; r < rowEnd; r++, off += cols) {
            long base = (long) r * cols * 2;
            int c = 0;
            for (; c + L <= cols; c += L) vector(data, base + 2L * c).intoArray(dst, off + c);
            for (; c < cols; c++) dst[off + c] = scalar(data, base + 2L * c);
        }
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    /** Two accumulators; the conversion is a handful of integer ops, so a small body keeps it all inlined. */
    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        long base = (long) row * cols * 2;
        int L = Simd.L;
        FloatVector a0 = FloatVector.zero(Simd.F), a1 = a0;
        int c = 0;
        for (; c + 2 * L <= cols; c += 2 * L) {
            a0 = vector(data, base + 2L * c).fma(FloatVector.fromArray(Simd.F, x, xOff + c), a0);
            a1 = vector(data, base + 2L * (c + L)).fma(FloatVector.fromArray(Simd.F, x, xOff + c + L), a1);
        }
        if (c + L <= cols) {
            a0 = vector(data, base + 2L * c).fma(FloatVector.fromArray(Simd.F, x, xOff + c), a0);
            c += L;
        }
        float sum = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += scalar(data, base + 2L * c) * x[xOff + c];
        return sum;
    }
}
