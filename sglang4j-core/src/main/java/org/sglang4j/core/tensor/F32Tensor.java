package org.sglang4j.core.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.sglang4j.core.gguf.GgmlType;

/** Plain little-endian float32 weights. */
public record F32Tensor(MemorySegment data, int rows, int cols) implements Tensor {
    static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public F32Tensor {
        if (data.byteSize() != (long) rows * cols * 4) {
            throw new IllegalArgumentException("F32 tensor " + rows + "x" + cols + " needs " + (long) rows * cols * 4
                    + " bytes, got " + data.byteSize());
        }
    }

    /** Wraps a heap array (tests, generated models). */
    public static F32Tensor ofArray(float[] values, int rows, int cols) {
        MemorySegment seg = MemorySegment.ofArray(values.clone());
        return new F32Tensor(seg, rows, cols);
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        MemorySegment.copy(data, LE, (long) row * cols * 4, dst, off, cols);
    }
}
