package org.sglang4j.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** RMSNorm, RoPE, SiLU-GLU and softmax against their textbook formulas, at widths with and without a tail. */
class ElementwiseKernelsTest {

    @Test
    void rmsNormScalesByInverseRootMeanSquare() {
        for (int width : new int[] {1, 7, 16, 64, 100}) {
            float[] x = AttentionTest.gaussian(3 * width);
            float[] w = AttentionTest.gaussian(width);
            float[] out = new float[x.length];
            RmsNorm.rows(out, x, w, 3, width, 1e-5f);
            for (int r = 0; r < 3; r++) {
                double ss = 0;
                for (int i = 0; i < width; i++) ss += (double) x[r * width + i] * x[r * width + i];
                double inv = 1 / Math.sqrt(ss / width + 1e-5);
                for (int i = 0; i < width; i++) {
                    assertThat((double) out[r * width + i]).isCloseTo(w[i] * x[r * width + i] * inv, within(1e-5));
                }
            }
        }
    }

    @Test
    void ropeNormalRotatesAdjacentPairsAndNeoxRotatesHalves() {
        int headDim = 16;
        float[] invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) invFreq[i] = (float) Math.pow(10000, -2.0 * i / headDim);
        float[] cos = new float[invFreq.length];
        float[] sin = new float[invFreq.length];
        int pos = 37;
        Rope.angles(invFreq, pos, cos, sin, 0);
        float[] x = AttentionTest.gaussian(2 * headDim);
        float[] normal = x.clone();
        float[] neox = x.clone();
        Rope.rotate(normal, 0, 2, headDim, headDim, false, cos, sin, 0);
        Rope.rotate(neox, 0, 2, headDim, headDim, true, cos, sin, 0);
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < headDim / 2; i++) {
                double c = Math.cos(pos * (double) invFreq[i]);
                double s = Math.sin(pos * (double) invFreq[i]);
                int b = h * headDim;
                // normal: (x[2i], x[2i+1]); NeoX: (x[i], x[i + d/2])
                assertThat((double) normal[b + 2 * i]).isCloseTo(x[b + 2 * i] * c - x[b + 2 * i + 1] * s, within(1e-4));
                assertThat((double) normal[b + 2 * i + 1]).isCloseTo(x[b + 2 * i] * s + x[b + 2 * i + 1] * c, within(1e-4));
                int half = headDim / 2;
                assertThat((double) neox[b + i]).isCloseTo(x[b + i] * c - x[b + i + half] * s, within(1e-4));
                assertThat((double) neox[b + i + half]).isCloseTo(x[b + i] * s + x[b + i + half] * c, within(1e-4));
            }
        }
    }

    @Test
    void partialRotaryLeavesTheRestOfTheHeadAlone() {
        float[] cos = {0.5f, -1f};
        float[] sin = {0.25f, 0.75f};
        float[] x = AttentionTest.gaussian(8);
        float[] y = x.clone();
        Rope.rotate(y, 0, 1, 8, 4, true, cos, sin, 0);
        for (int i = 4; i < 8; i++) assertThat(y[i]).isEqualTo(x[i]);
        assertThat(y[0]).isCloseTo(x[0] * 0.5f - x[2] * 0.25f, within(1e-6f));
    }

    @Test
    void siluGluGatesTheUpProjection() {
        float[] gate = AttentionTest.gaussian(37);
        float[] up = AttentionTest.gaussian(37);
        float[] out = gate.clone();
        SiluGlu.apply(out, 0, up, 0, 37);
        for (int i = 0; i < 37; i++) {
            double g = gate[i];
            assertThat((double) out[i]).isCloseTo(g / (1 + Math.exp(-g)) * up[i], within(1e-5));
        }
    }

    @Test
    void softmaxIsNormalisedAndStableForLargeInputs() {
        float[] x = AttentionTest.gaussian(41);
        for (int i = 0; i < x.length; i++) x[i] = x[i] * 30 + 500; // exp(500) overflows without the max shift
        float[] p = x.clone();
        Softmax.inPlace(p, 0, p.length);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - max);
        for (int i = 0; i < x.length; i++) assertThat((double) p[i]).isCloseTo(Math.exp(x[i] - max) / sum, within(1e-6));
    }
}
