package org.sglang4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Root-mean-square layer normalisation: {@code out = w ⊙ x / sqrt(mean(x²) + eps)}. */
public final class RmsNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private RmsNorm() {}

    /**
     * Normalises {@code rows} consecutive rows of {@code width} values from {@code x} into {@code out} (both
     * row-major from offset 0; {@code out} may be {@code x}), scaling by the same weights {@code w[0, width)}.
     */
    public static void rows(float[] out, float[] x, float[] w, int rows, int width, float eps) {
        for (int r = 0; r < rows; r++) row(out, r * width, x, r * width, w, width, eps);
    }

    /** One row: {@code out[oOff, oOff + width) = w ⊙ x[xOff, xOff + width) / rms}. */
    public static void row(float[] out, int oOff, float[] x, int xOff, float[] w, int width, float eps) {
        float scale = (float) (1.0 / Math.sqrt(sumOfSquares(x, xOff, width) / width + eps));
        int i = 0;
        int bound = S.loopBound(width);
        for (; i < bound; i += S.length()) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            FloatVector wv = FloatVector.fromArray(S, w, i);
            xv.mul(scale).mul(wv).intoArray(out, oOff + i);
        }
        for (; i < width; i++) out[oOff + i] = w[i] * (scale * x[xOff + i]);
    }

    private static float sumOfSquares(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            acc = v.fma(v, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += x[off + i] * x[off + i];
        return sum;
    }
}
