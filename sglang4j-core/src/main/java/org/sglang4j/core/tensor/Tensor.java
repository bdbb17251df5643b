package org.sglang4j.core.tensor;

import java.lang.foreign.MemorySegment;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufTensorInfo;

/**
 * A read-only weight matrix of {@code rows} × {@code cols} values in one ggml storage format, rows contiguous
 * (row {@code r} starts at byte {@code r * cols / blockSize * typeSize} of {@link #data()}). A 1-D tensor is one
 * row. Data usually lives in a memory-mapped model file and is never copied to the heap; kernels dequantize it
 * in registers.
 */
public sealed interface Tensor permits F32Tensor {

    GgmlType type();

    int rows();

    int cols();

    MemorySegment data();

    /** Writes row {@code row} as floats into {@code dst[off, off + cols)}. */
    void dequantizeRow(int row, float[] dst, int off);

    /** The whole tensor as floats (for small tensors: norms, biases). */
    default float[] toFloatArray() {
        float[] out = new float[Math.multiplyExact(rows(), cols())];
        for (int r = 0; r < rows(); r++) dequantizeRow(r, out, r * cols());
        return out;
    }

    static Tensor of(GgufTensorInfo info) {
        return of(info.type(), info.data(), Math.toIntExact(info.rows()), info.cols());
    }

    static Tensor of(GgmlType type, MemorySegment data, int rows, int cols) {
        return switch (type) {
            case F32 -> new F32Tensor(data, rows, cols);
            default -> throw new UnsupportedOperationException("tensor type " + type + " is not supported yet");
        };
    }
}
