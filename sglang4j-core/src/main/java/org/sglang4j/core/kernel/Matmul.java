package org.sglang4j.core.kernel;

import org.sglang4j.core.tensor.Tensor;

/**
 * Batched matrix multiplication against a weight tensor: {@code out[t][r] = Σ_c w[r][c] · x[t][c]} for
 * {@code t < nTokens}, {@code r < w.rows()}. {@code x} is {@code [nTokens][w.cols()]} and {@code out} is
 * {@code [nTokens][w.rows()]}, both row-major. Work is split over output rows so every weight row is read once
 * for all tokens of the step.
 */
public final class Matmul {
    private Matmul() {}

    public static void matmul(Tensor w, float[] x, int nTokens, float[] out, ComputePool pool) {
        int rows = w.rows();
        int cols = w.cols();
        pool.parallelFor(rows, (start, end) -> {
            float[] row = new float[cols];
            for (int r = start; r < end; r++) {
                w.dequantizeRow(r, row, 0);
                for (int t = 0; t < nTokens; t++) {
                    float sum = 0f;
                    int xo = t * cols;
                    for (int c = 0; c < cols; c++) sum += row[c] * x[xo + c];
                    out[t * rows + r] = sum;
                }
            }
        });
    }
}
