package org.sglang4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The gated FFN activation of Llama-family models: {@code gate = silu(gate) ⊙ up}, silu(z) = z / (1 + e^−z). */
public final class SiluGlu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private SiluGlu() {}

    /** In place over {@code gate[gOff, gOff + n)} with {@code up[uOff, uOff + n)}. */
    public static void apply(float[] gate, int gOff, float[] up, int uOff, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, gate, gOff + i);
            FloatVector u = FloatVector.fromArray(S, up, uOff + i);
            FloatVector silu = g.div(g.neg().lanewise(VectorOperators.EXP).add(1f));
            silu.mul(u).intoArray(gate, gOff + i);
        }
        for (; i < n; i++) {
            float g = gate[gOff + i];
            gate[gOff + i] = g / (1f + (float) Math.exp(-g)) * up[uOff + i];
        }
    }
}
