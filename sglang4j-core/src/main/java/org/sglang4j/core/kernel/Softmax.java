package org.sglang4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Numerically stable softmax (max subtracted before exponentiation). */
public final class Softmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Softmax() {}

    /** Replaces {@code x[off, off + n)} by its softmax. */
    public static void inPlace(float[] x, int off, int n) {
        float sum = expShifted(x, off, n, max(x, off, n));
        scale(x, off, n, 1f / sum);
    }

    static float max(float[] x, int off, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) acc = acc.max(FloatVector.fromArray(S, x, off + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /** {@code x[i] = exp(x[i] - max)}; returns the sum. */
    static float expShifted(float[] x, int off, int n, float max) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector e = FloatVector.fromArray(S, x, off + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, off + i);
            acc = acc.add(e);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        return sum;
    }

    static void scale(float[] x, int off, int n, float factor) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= factor;
    }
}
