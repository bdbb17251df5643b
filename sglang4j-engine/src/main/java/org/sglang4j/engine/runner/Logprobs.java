package org.sglang4j.engine.runner;

import org.sglang4j.engine.req.TokenLogprob;

/** Log-softmax of one logits row: the logprob of a given token and the top-k alternatives. */
final class Logprobs {
    private Logprobs() {}

    static double logSumExp(float[] logits, int off, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        if (max == Float.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp(logits[off + i] - max);
        return max + Math.log(sum);
    }

    /** Logprob of {@code token} in the row plus the {@code topK} most likely tokens (best first, ties by id). */
    static TokenLogprob of(float[] logits, int off, int vocab, int token, int topK) {
        double lse = logSumExp(logits, off, vocab);
        float lp = (float) (logits[off + token] - lse);
        int k = Math.min(topK, vocab);
        int[] topIds = new int[k];
        float[] topLps = new float[k];
        int filled = 0;
        for (int i = 0; i < vocab && k > 0; i++) {
            float v = logits[off + i];
            if (filled == k && v <= logits[off + topIds[k - 1]]) continue;
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && logits[off + topIds[pos - 1]] < v) {
                topIds[pos] = topIds[pos - 1];
                pos--;
            }
            topIds[pos] = i;
        }
        for (int j = 0; j < k; j++) topLps[j] = (float) (logits[off + topIds[j]] - lse);
        return new TokenLogprob(token, lp, topIds, topLps);
    }
}
