package org.sglang4j.core.tensor;

import java.lang.foreign.MemorySegment;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufTensorInfo;

/**
 * A read-only weight matrix of {@code rows} × {@code cols} values in one ggml storage format, rows contiguous
 * (row {@code r} starts at byte {@code r * cols / blockSize * typeSize} of {@link #data()}). A 1-D tensor is one
 * row. Data usually lives in a memory-mapped model file and is never copied to the heap; kernels dequantize it
 * in registers.
 *
 * <p>Each format has a scalar {@link #dequantizeRow} (the plain reading of the ggml block layout, the reference
 * the tests check against llama.cpp) and Vector API paths ({@link #dequantizeRows}, {@link #dotRows}) that the
 * matmul kernels use. The vector paths need {@link Simd#ENABLED}.
 */
public sealed interface Tensor
        permits F32Tensor, F16Tensor, BF16Tensor, Q8_0Tensor, Q8_0TiledTensor, Q4_0Tensor, Q4_0TiledTensor, Q4_1Tensor,
                Q5_0Tensor, Q4_KTensor, Q5_KTensor, Q6_KTensor {

    GgmlType type();

    int rows();

    int cols();

    MemorySegment data();

    /** Writes row {@code row} as floats into {@code dst[off, off + cols)} (scalar reference path). */
    void dequantizeRow(int row, float[] dst, int off);

    /**
     * Vector path: writes rows {@code [rowStart, rowEnd)} back to back into {@code dst} starting at {@code off}
     * ({@code cols} floats per row).
     */
    void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off);

    /**
     * Vector path for one token: {@code out[outOff + r - rowStart] = Σ_c w[r][c] · x[xOff + c]} for
     * {@code r ∈ [rowStart, rowEnd)}.
     */
    void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff);

    /**
     * Optional fused few-token path: {@code out[outOff + t*outStride + r - rowStart] = Σ_c w[r][c] · x_t[c]} for
     * {@code r ∈ [rowStart, rowEnd)} and {@code t < nTokens ≤ slots}, {@code slots ∈ {2, 4, 8}}. The tokens are
     * packed slot by slot, vector by vector: {@code packed[pOff + (c − c % L)·slots + t·L + c % L] = x_t[c]}
     * ({@code L = }{@link Simd#L}; unused slots zero), so a kernel addresses every slot from one index register
     * and dequantizes each weight vector once, in registers, for all of them. Only types whose
     * {@link #hasPackedKernels} is true implement it; the others throw.
     */
    default void dotRowsPacked(int rowStart, int rowEnd, float[] packed, int pOff, int slots, int nTokens,
                               float[] out, int outOff, int outStride) {
        throw new UnsupportedOperationException(type() + " has no fused few-token kernels");
    }

    /** Whether {@link #dotRowsPacked} is implemented (worth packing the tokens for). */
    default boolean hasPackedKernels() {
        return false;
    }

    /** The whole tensor as floats (for small tensors: norms, biases). */
    default float[] toFloatArray() {
        float[] out = new float[Math.multiplyExact(rows(), cols())];
        for (int r = 0; r < rows(); r++) dequantizeRow(r, out, r * cols());
        return out;
    }

    static Tensor of(GgufTensorInfo info) {
        long rows = info.rows();
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + info.name() + " has too many rows: " + rows);
        }
        return of(info.type(), info.data(), (int) rows, info.cols());
    }

    /**
     * Wraps {@code data} (exactly rows × cols values in {@code type}) without copying it. Kernels are fastest on
     * off-heap memory (a mapped file or an {@link java.lang.foreign.Arena} allocation); heap segments work but
     * some vector loads from them are not intrinsified.
     */
    static Tensor of(GgmlType type, MemorySegment data, int rows, int cols) {
        return switch (type) {
            case F32 -> new F32Tensor(data, rows, cols);
            case F16 -> new F16Tensor(data, rows, cols);
            case BF16 -> new BF16Tensor(data, rows, cols);
            case Q8_0 -> new Q8_0Tensor(data, rows, cols);
            case Q4_0 -> new Q4_0Tensor(data, rows, cols);
            case Q4_1 -> new Q4_1Tensor(data, rows, cols);
            case Q5_0 -> new Q5_0Tensor(data, rows, cols);
            case Q4_K -> new Q4_KTensor(data, rows, cols);
            case Q5_K -> new Q5_KTensor(data, rows, cols);
            case Q6_K -> new Q6_KTensor(data, rows, cols);
            default -> throw new UnsupportedOperationException("tensor type " + type
                    + " is not supported (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, Q6_K);"
                    + " re-quantize the model to one of these with llama-quantize");
        };
    }
}
