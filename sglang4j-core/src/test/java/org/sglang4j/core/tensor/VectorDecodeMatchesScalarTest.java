package org.sglang4j.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.sglang4j.core.gguf.GgmlType;

/**
 * The Vector API decoders against the scalar ones (themselves checked against llama.cpp) on random bytes: every
 * nibble, high bit and 6-bit scale pattern occurs, including the extremes llama-quantize rarely writes (-128 in
 * Q8_0, all-ones K-quant scales).
 */
class VectorDecodeMatchesScalarTest {

    @Provide
    Arbitrary<GgmlType> types() {
        return Arbitraries.of(RandomTensors.TYPES);
    }

    @Property(tries = 200)
    void dequantizeRowsEqualsScalarRows(@ForAll("types") GgmlType type, @ForAll @IntRange(min = 1, max = 6) int rows,
                                        @ForAll @IntRange(min = 1, max = 5) int units,
                                        @ForAll @IntRange(min = 0, max = 3) int firstRow, @ForAll long seed) {
        int cols = RandomTensors.cols(type, type.blockSize == 1 ? units * 7 : units);
        Tensor t = RandomTensors.of(type, firstRow + rows, cols, new Random(seed));
        float[] scalar = new float[rows * cols];
        for (int r = 0; r < rows; r++) t.dequantizeRow(firstRow + r, scalar, r * cols);
        float[] vector = new float[rows * cols + 3];
        t.dequantizeRows(firstRow, firstRow + rows, vector, 3);
        for (int i = 0; i < scalar.length; i++) {
            // fma vs separate multiply/subtract: one rounding of the larger product term.
            float tol = 1e-6f * (Math.abs(scalar[i]) + rowMax(scalar, i / cols, cols));
            assertThat(vector[3 + i]).as("%s %dx%d index %d", type, rows, cols, i).isCloseTo(scalar[i],
                    org.assertj.core.data.Offset.offset(tol));
        }
    }

    @Property(tries = 200)
    void dotRowsEqualsDoubleSumOfScalarRows(@ForAll("types") GgmlType type,
                                            @ForAll @IntRange(min = 1, max = 5) int rows,
                                            @ForAll @IntRange(min = 1, max = 9) int units, @ForAll long seed) {
        Random rnd = new Random(seed);
        int cols = RandomTensors.cols(type, type.blockSize == 1 ? units * 5 + 3 : units);
        Tensor t = RandomTensors.of(type, rows, cols, rnd);
        float[] x = new float[cols + 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] out = new float[rows + 1];
        t.dotRows(0, rows, x, 2, out, 1);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            t.dequantizeRow(r, row, 0);
            double sum = 0, abs = 0;
            for (int c = 0; c < cols; c++) {
                sum += (double) row[c] * x[2 + c];
                abs += Math.abs((double) row[c] * x[2 + c]);
            }
            // Float accumulation: each lane sums cols/L products, then a log2(L)-step reduction.
            double tol = (cols / 8.0 + 16) * 0x1p-24 * abs + 1e-30;
            assertThat((double) out[1 + r]).as("%s row %d of %dx%d", type, r, rows, cols)
                    .isCloseTo(sum, org.assertj.core.data.Offset.offset(tol));
        }
    }

    private static float rowMax(float[] v, int row, int cols) {
        float m = 0;
        for (int c = 0; c < cols; c++) m = Math.max(m, Math.abs(v[row * cols + c]));
        return m;
    }
}
