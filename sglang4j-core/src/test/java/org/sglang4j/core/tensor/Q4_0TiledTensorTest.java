package org.sglang4j.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.kernel.Matmul;

/**
 * Q4_0 repacked into row tiles: every value survives the repacking (the GGUF tensor's scalar decoder, checked
 * against llama.cpp elsewhere, is the reference), and the integer kernels compute ggml's Q4_0 × Q8_0 dot product,
 * against a reference written here from the format: activations quantized per block of 32 with
 * {@code d = f16(amax / 127)} and {@code q = rint(x · 127 / amax)}, the product summed in double.
 */
class Q4_0TiledTensorTest {
    private static final int T = Q4_0TiledTensor.TILE;

    @Test
    void repackingKeepsEveryValueIncludingZeroSubnormalAndLargeScales() {
        Random rnd = new Random(1);
        Q4_0Tensor q = q4_0(3 * T, 32 * 7, rnd);
        // Scales of block 0 of the first rows: zero, f16 subnormal, largest f16, negative.
        short[] special = {0, 0x0001, 0x03ff, 0x7bff, (short) 0xc000};
        for (int r = 0; r < special.length; r++) q.data().set(I16, (long) r * 7 * 18, special[r]);
        Tensor tiled = Q4_0TiledTensor.repack(copy(q));
        assertThat(tiled).isInstanceOf(Q4_0TiledTensor.class);
        assertThat(tiled.type()).isEqualTo(GgmlType.Q4_0);
        assertSameValues(tiled, q);
    }

    /** {@code tiled} holds {@code q}'s values in as many bytes: every row decodes to the same floats. */
    static void assertSameValues(Tensor tiled, Tensor q) {
        assertThat(tiled.data().byteSize()).isEqualTo(q.data().byteSize());
        float[] want = new float[q.cols()], got = new float[q.cols()];
        for (int r = 0; r < q.rows(); r++) {
            q.dequantizeRow(r, want, 0);
            tiled.dequantizeRow(r, got, 0);
            assertThat(got).as("row %d", r).containsExactly(want);
        }
    }

    @Test
    void rowsThatAreNoWholeTileStayInTheGgufLayout() {
        Q4_0Tensor q = q4_0(T + 1, 64, new Random(2));
        assertThat(Q4_0TiledTensor.repack(q)).isSameAs(q);
    }

    @Property(tries = 60)
    void dotProductsMatchTheQ8_0Reference(@ForAll @IntRange(min = 1, max = 4) int tiles,
                                          @ForAll @IntRange(min = 1, max = 9) int blocks,
                                          @ForAll @IntRange(min = 1, max = 7) int nTokens, @ForAll long seed) {
        Random rnd = new Random(seed);
        Q4_0Tensor q = q4_0(tiles * T, 32 * blocks, rnd);
        Q4_0TiledTensor tiled = (Q4_0TiledTensor) Q4_0TiledTensor.repack(copy(q));
        float[] x = tokens(nTokens, q.cols(), rnd);
        int cols = q.cols(), rows = q.rows();
        int[] pairs = new int[nTokens * cols / 2];
        float[] scales = new float[nTokens * cols / 32];
        for (int t = 0; t < nTokens; t++) ActivationQ8.quantize(x, t * cols, cols, pairs, t * cols / 2, scales, t * cols / 32);
        // A sub-range of whole tiles, written at an offset into a guarded buffer.
        int r0 = rnd.nextInt(tiles) * T, r1 = r0 + T * (1 + rnd.nextInt(tiles - r0 / T));
        float[] out = new float[3 + nTokens * rows];
        Arrays.fill(out, Float.NaN);
        tiled.dotRowsQ8(r0, r1, pairs, 0, scales, 0, nTokens, out, 3, rows);
        for (int t = 0; t < nTokens; t++) {
            for (int r = 0; r < rows; r++) {
                if (r < r0 || r >= r1) continue;
                assertClose(out[3 + t * rows + r - r0], reference(q, r, x, t * cols), "row " + r + " token " + t);
            }
        }
        assertThat(out[0]).isNaN();
    }

    @Test
    void aTokensResultDoesNotDependOnTheOtherTokensInTheCall() {
        Random rnd = new Random(4);
        Q4_0Tiled tiled = new Q4_0Tiled(q4_0(2 * T, 32 * 12, rnd));
        int cols = tiled.t.cols(), rows = tiled.t.rows();
        float[] x = tokens(5, cols, rnd);
        float[] alone = tiled.matmul(Arrays.copyOfRange(x, 2 * cols, 3 * cols), 1);
        float[] batched = tiled.matmul(x, 5);
        assertThat(Arrays.copyOfRange(batched, 2 * rows, 3 * rows)).containsExactly(alone);
    }

    /** Every path of {@link Matmul} for tiled Q4_0: one token, two-token integer passes, the prefill tiles (40). */
    @Test
    void matmulOverThreadsAndOffsetsMatchesTheReference() {
        Random rnd = new Random(5);
        Q4_0Tensor q = q4_0(9 * T, 32 * 5, rnd);
        Q4_0TiledTensor tiled = (Q4_0TiledTensor) Q4_0TiledTensor.repack(copy(q));
        int cols = q.cols(), rows = q.rows();
        try (ComputePool pool = new ComputePool(3)) {
            for (int nTokens : new int[] {1, 2, 3, 8, 17, 40}) {
                float[] x = new float[2 + nTokens * cols];
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                float[] out = new float[5 + nTokens * rows + 1];
                Arrays.fill(out, Float.NaN);
                Matmul.matmul(tiled, x, 2, nTokens, out, 5, pool);
                for (int t = 0; t < nTokens; t++) {
                    for (int r = 0; r < rows; r++) {
                        assertClose(out[5 + t * rows + r], reference(q, r, x, 2 + t * cols), nTokens + " tokens, row " + r);
                    }
                }
                assertThat(out[4]).isNaN();
                assertThat(out[out.length - 1]).isNaN();
            }
        }
    }

    @Test
    void rangesThatSplitATileAreRejected() {
        Q4_0TiledTensor tiled = (Q4_0TiledTensor) Q4_0TiledTensor.repack(q4_0(2 * T, 32, new Random(6)));
        assertThatThrownBy(() -> tiled.dotRowsQ8(1, T, new int[16], 0, new float[1], 0, 1, new float[2 * T], 0, 2 * T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole " + T + "-row tiles");
    }

    /**
     * {Σ_c w[r][c] · x'[c], Σ_c |w[r][c] · x'[c]|} in double, x' = the token's Q8_0 quantization (written from the
     * ggml format).
     */
    static double[] reference(Tensor q, int r, float[] x, int xOff) {
        float[] w = new float[q.cols()];
        q.dequantizeRow(r, w, 0);
        double sum = 0, abs = 0;
        for (int b = 0; b < q.cols(); b += 32) {
            float amax = 0;
            for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[xOff + b + i]));
            float d = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
            float id = amax == 0 ? 0 : 127f / amax;
            for (int i = 0; i < 32; i++) {
                double p = (double) w[b + i] * d * Math.rint(x[xOff + b + i] * id);
                sum += p;
                abs += Math.abs(p);
            }
        }
        return new double[] {sum, abs};
    }

    /**
     * Exact integer block sums accumulated in float (one rounding per block), or float products summed in vector
     * lanes on the prefill path: a few float ulps of the products' magnitude.
     */
    static void assertClose(float got, double[] want, String what) {
        assertThat((double) got).as(what).isCloseTo(want[0], org.assertj.core.data.Offset.offset(2e-6 * want[1] + 1e-30));
    }

    private static Q4_0Tensor q4_0(int rows, int cols, Random rnd) {
        return (Q4_0Tensor) RandomTensors.of(GgmlType.Q4_0, rows, cols, rnd);
    }

    private static Q4_0Tensor copy(Q4_0Tensor q) {
        MemorySegment m = Arena.ofAuto().allocate(q.data().byteSize(), 64);
        m.copyFrom(q.data());
        return new Q4_0Tensor(m, q.rows(), q.cols());
    }

    private static float[] tokens(int n, int cols, Random rnd) {
        float[] x = new float[n * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    /** A tiled tensor and a pool-less matmul over all its rows. */
    private record Q4_0Tiled(Q4_0TiledTensor t) {
        Q4_0Tiled(Q4_0Tensor q) {
            this((Q4_0TiledTensor) Q4_0TiledTensor.repack(copy(q)));
        }

        float[] matmul(float[] x, int nTokens) {
            float[] out = new float[nTokens * t.rows()];
            try (ComputePool pool = new ComputePool(2)) {
                Matmul.matmul(t, x, nTokens, out, pool);
            }
            return out;
        }
    }

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
}
