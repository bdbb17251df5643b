package org.sglang4j.core.sampling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Brute-force reference for the sampler's target distribution, written from the definition in double precision:
 * softmax of logits / T over the whole vocabulary, full sort (probability descending, id ascending), then SGLang's
 * joint top-k / top-p / min-p rule on the full distribution, renormalized over the kept tokens.
 */
final class ReferenceSampling {
    private ReferenceSampling() {}

    /** Probability of each token under the filtered distribution (0 for tokens not kept). */
    static double[] distribution(float[] logits, float temperature, int topK, float topP, float minP) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] q = new double[n];
        double z = 0;
        for (int i = 0; i < n; i++) {
            q[i] = Math.exp((logits[i] - max) / temperature);
            z += q[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        order.sort(Comparator.<Integer>comparingDouble(i -> -q[i]).thenComparing(i -> i));
        int k = topK < 0 ? n : topK;
        double[] out = new double[n];
        double before = 0;
        for (int r = 0; r < n; r++) {
            int id = order.get(r);
            if (r >= k || before > topP * z || q[id] < minP || q[id] == 0) break;
            out[id] = q[id];
            before += q[id];
        }
        for (int i = 0; i < n; i++) out[i] /= before;
        return out;
    }

    /**
     * Groups tokens, ordered by probability, into {@code bins} bins of roughly equal probability mass, so that a
     * chi-square over the bins is sensitive to mass moved across the filter boundary even when each token is rare.
     * Returns the bin of each token (-1 for tokens with probability 0).
     */
    static int[] massQuantileBins(double[] p, int bins) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -p[i]).thenComparing(i -> i));
        int[] bin = new int[p.length];
        double before = 0;
        for (int i : order) {
            bin[i] = p[i] == 0 ? -1 : Math.min(bins - 1, (int) ((before + p[i] / 2) * bins));
            before += p[i];
        }
        return bin;
    }

    /** Pearson chi-square of observed counts against expected probabilities, bins with expected < 5 pooled. */
    static ChiSquare chiSquare(int[] observed, double[] expected) {
        long total = 0;
        for (int o : observed) total += o;
        double stat = 0, pooledExp = 0, pooledObs = 0;
        int bins = 0;
        for (int i = 0; i < observed.length; i++) {
            double e = expected[i] * total;
            if (e < 5) {
                pooledExp += e;
                pooledObs += observed[i];
                continue;
            }
            stat += (observed[i] - e) * (observed[i] - e) / e;
            bins++;
        }
        if (pooledExp >= 1) {
            stat += (pooledObs - pooledExp) * (pooledObs - pooledExp) / pooledExp;
            bins++;
        }
        return new ChiSquare(stat, Math.max(1, bins - 1));
    }

    /**
     * @param statistic Pearson's statistic
     * @param df        degrees of freedom
     */
    record ChiSquare(double statistic, int df) {
        /** Upper critical value at significance ≈ 1e-6 (Wilson–Hilferty approximation, z = 4.75). */
        double critical() {
            double a = 2.0 / (9 * df);
            return df * Math.pow(1 - a + 4.75 * Math.sqrt(a), 3);
        }
    }
}
