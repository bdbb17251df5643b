package org.sglang4j.core.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sglang4j.core.gguf.GgmlType;

/** Plain little-endian float32 weights. */
public record F32Tensor(MemorySegment data, int rows, int cols) implements Tensor {

    public F32Tensor {
        Layouts.checkShape(GgmlType.F32, data, rows, cols);
    }

    /**
     * A copy of {@code values} in off-heap memory (freed with the tensor), for generated models and tests. Off-heap
     * like mapped weights, because the Vector API compiles loads from heap segments of another element type
     * (bytes of a float array) to a slow boxed path.
     */
    public static F32Tensor ofArray(float[] values, int rows, int cols) {
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, seg, Layouts.F32, 0, values.length);
        return new F32Tensor(seg, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        MemorySegment.copy(data, Layouts.F32, (long) row * cols * 4, dst, off, cols);
    }

    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        MemorySegment.copy(data, Layouts.F32, (long) rowStart * cols * 4, dst, off, (rowEnd - rowStart) * cols);
    }

    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        for (int r = rowStart; r < rowEnd; r++) out[outOff + r - rowStart] = dot(data, cols, r, x, xOff);
    }

    private static float dot(MemorySegment data, int cols, int row, float[] x, int xOff) {
        long base = (long) row * cols * 4;
        int L = Simd.L;
        int bound = cols - cols % (4 * L);
        FloatVector a0 = FloatVector.zero(Simd.F), a1 = a0, a2 = a0, a3 = a0;
        int c = 0;
        for (; c < bound; c += 4 * L) {
            long o = base + 4L * c;
            a0 = FloatVector.fromMemorySegment(Simd.F, data, o, Layouts.LE).fma(FloatVector.fromArray(Simd.F, x, xOff + c), a0);
            a1 = FloatVector.fromMemorySegment(Simd.F, data, o + 4L * L, Layouts.LE)
                    .fma(FloatVector.fromArray(Simd.F, x, xOff + c + L), a1);
            a2 = FloatVector.fromMemorySegment(Simd.F, data, o + 8L * L, Layouts.LE)
                    .fma(FloatVector.fromArray(Simd.F, x, xOff + c + 2 * L), a2);
            a3 = FloatVector.fromMemorySegment(Simd.F, data, o + 12L * L, Layouts.LE)
                    .fma(FloatVector.fromArray(Simd.F, x, xOff + c + 3 * L), a3);
        }
        for (; c + L <= cols; c += L) {
            a0 = FloatVector.fromMemorySegment(Simd.F, data, base + 4L * c, Layouts.LE)
                    .fma(FloatVector.fromArray(Simd.F, x, xOff + c), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; c < cols; c++) sum += data.get(Layouts.F32, base + 4L * c) * x[xOff + c];
        return sum;
    }
}
