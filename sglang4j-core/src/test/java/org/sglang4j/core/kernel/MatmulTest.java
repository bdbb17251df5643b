package org.sglang4j.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.tensor.F32Tensor;
import org.sglang4j.core.tensor.RandomTensors;
import org.sglang4j.core.tensor.Tensor;

/**
 * The batched matmul against a brute-force reference: each weight row decoded by the scalar decoder (checked
 * against llama.cpp elsewhere) and dotted in double precision. Shapes are chosen to hit every path: one token
 * (fused dot), 2–9 tokens (4×T tiles with 1–3-token tails), row counts that are not multiples of the 4-row tile
 * or the 16-row chunk, float rows with a column tail shorter than a vector, and offsets into x and out.
 */
class MatmulTest {
    static final java.util.List<GgmlType> TYPES = RandomTensors.TYPES;

    @ParameterizedTest
    @FieldSource("TYPES")
    void everyTypeMatchesTheReferenceOnOddShapes(GgmlType type) {
        Random rnd = new Random(type.ordinal());
        try (ComputePool pool = new ComputePool(2)) {
            for (int rows : new int[] {1, 3, 17, 38}) {
                int cols = RandomTensors.cols(type, type.blockSize == 1 ? 83 : 3);
                Tensor w = RandomTensors.of(type, rows, cols, rnd);
                for (int nTokens = 1; nTokens <= 9; nTokens++) check(w, nTokens, 3, 5, pool, rnd);
            }
        }
    }

    @Provide
    Arbitrary<GgmlType> types() {
        return Arbitraries.of(RandomTensors.TYPES);
    }

    @Property(tries = 150)
    void randomShapesMatchTheReference(@ForAll("types") GgmlType type, @ForAll @IntRange(min = 1, max = 70) int rows,
                                       @ForAll @IntRange(min = 1, max = 4) int units,
                                       @ForAll @IntRange(min = 1, max = 9) int nTokens,
                                       @ForAll @IntRange(min = 1, max = 3) int threads,
                                       @ForAll @IntRange(min = 0, max = 7) int offset, @ForAll long seed) {
        Random rnd = new Random(seed);
        int cols = RandomTensors.cols(type, type.blockSize == 1 ? units * 13 + offset : units);
        try (ComputePool pool = new ComputePool(threads)) {
            check(RandomTensors.of(type, rows, cols, rnd), nTokens, offset, 7 - offset, pool, rnd);
        }
    }

    @Test
    void manyChunksOverThreeThreadsCoverEveryRow() {
        Random rnd = new Random(3);
        try (ComputePool pool = new ComputePool(3)) {
            Tensor w = RandomTensors.of(GgmlType.Q8_0, 1003, 64, rnd);
            for (int nTokens : new int[] {1, 5, 8}) check(w, nTokens, 0, 0, pool, rnd);
        }
    }

    @Test
    void plainF32MatmulGivesKnownValues() {
        // [[1, 2, 3], [4, 5, 6]] · [1, 0, -1] = [-2, -2]; · [0.5, 1, 2] = [8.5, 19]
        Tensor w = F32Tensor.ofArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        float[] out = new float[4];
        try (ComputePool pool = new ComputePool(2)) {
            Matmul.matmul(w, new float[] {1, 0, -1, 0.5f, 1, 2}, 2, out, pool);
        }
        assertThat(out).containsExactly(-2f, -2f, 8.5f, 19f);
    }

    @Test
    void rejectsBuffersThatAreTooShort() {
        Tensor w = F32Tensor.ofArray(new float[12], 3, 4);
        try (ComputePool pool = new ComputePool(1)) {
            assertThatThrownBy(() -> Matmul.matmul(w, new float[7], 2, new float[6], pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x needs 8 floats");
            assertThatThrownBy(() -> Matmul.matmul(w, new float[8], 2, new float[5], pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out needs 6 floats");
            assertThatThrownBy(() -> Matmul.matmul(w, new float[8], -1, new float[6], pool))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nTokens");
        }
    }

    @Test
    void zeroTokensWritesNothing() {
        float[] out = {7f};
        try (ComputePool pool = new ComputePool(2)) {
            Matmul.matmul(F32Tensor.ofArray(new float[4], 1, 4), new float[0], 0, out, pool);
        }
        assertThat(out).containsExactly(7f);
    }

    /** Runs the matmul with inputs at {@code xOff} and outputs at {@code outOff}; checks values and guard cells. */
    static void check(Tensor w, int nTokens, int xOff, int outOff, ComputePool pool, Random rnd) {
        int rows = w.rows(), cols = w.cols();
        float[] x = new float[xOff + nTokens * cols + 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] out = new float[outOff + nTokens * rows + 2];
        Arrays.fill(out, Float.NaN);
        Matmul.matmul(w, x, xOff, nTokens, out, outOff, pool);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.dequantizeRow(r, row, 0);
            for (int t = 0; t < nTokens; t++) {
                double sum = 0, abs = 0;
                for (int c = 0; c < cols; c++) {
                    double p = (double) row[c] * x[xOff + t * cols + c];
                    sum += p;
                    abs += Math.abs(p);
                }
                // Float accumulation: each lane sums cols/L products, then a log2(L)-step reduction; decoders
                // that fuse the scale multiply differ from the scalar decoder by one rounding per value.
                double tol = (cols / 8.0 + 16) * 0x1p-24 * abs + 1e-30;
                float got = out[outOff + t * rows + r];
                if (!(Math.abs(got - sum) <= tol)) {
                    throw new AssertionError(w.type() + " " + rows + "x" + cols + " nTokens " + nTokens + " row " + r
                            + " token " + t + ": got " + got + ", expected " + sum + " ± " + tol);
                }
            }
        }
        for (int i = 0; i < outOff; i++) assertThat(out[i]).as("guard before out").isNaN();
        for (int i = outOff + nTokens * rows; i < out.length; i++) assertThat(out[i]).as("guard after out").isNaN();
    }
}
