package org.sglang4j.core.sampling;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Log-probabilities of a logits row, for {@code return_logprob}: {@code logprob(i) = l_i - log(sum_j exp(l_j))}
 * over the <em>raw</em> model logits, before penalties, grammar mask, bias and temperature. That is the model's
 * own belief about the next token, the same number for a prompt position ({@code input_token_logprobs}) and an
 * output position, and what llama.cpp's {@code n_probs} reports at temperature 0 (the oracle our tests compare
 * with). Note that SGLang can instead report the processed distribution; sampling itself of course uses the
 * processed one.
 */
public final class Logprobs {
    private Logprobs() {}

    /** {@code log(sum(exp(logits[off, off + vocab))))}; reuse it for several tokens of the same row. */
    public static float logSumExp(float[] logits, int off, int vocab) {
        checkRow(logits, off, vocab);
        return LogitKernels.logSumExp(logits, off, vocab);
    }

    /** Log-probability of {@code token} in the row (for {@code input_token_logprobs}). */
    public static float of(float[] logits, int off, int vocab, int token) {
        checkToken(token, vocab);
        return logits[off + token] - logSumExp(logits, off, vocab);
    }

    /** The {@code n} most likely tokens of the row with their log-probabilities. */
    public static TopLogprobs top(float[] logits, int off, int vocab, int n) {
        return top(logits, off, vocab, n, logSumExp(logits, off, vocab));
    }

    /**
     * Same as {@link #top(float[], int, int, int)} with the row's {@code logSumExp} already known. One pass:
     * a vector compare against the current n-th best skips almost every chunk, and the rare candidates are
     * insertion-sorted into the small result arrays.
     */
    public static TopLogprobs top(float[] logits, int off, int vocab, int n, float logSumExp) {
        checkRow(logits, off, vocab);
        if (n < 0) throw new IllegalArgumentException("top_logprobs_num must be >= 0, got " + n);
        n = Math.min(n, vocab);
        if (n == 0) return TopLogprobs.NONE;
        int[] ids = new int[n];
        float[] vals = new float[n];
        int size = 0;
        float floor = Float.NEGATIVE_INFINITY; // n-th best so far once full; a candidate must beat it strictly
        var s = LogitKernels.S;
        int i = 0;
        for (int bound = s.loopBound(vocab); i < bound; i += s.length()) {
            if (size == n && !FloatVector.fromArray(s, logits, off + i).compare(VectorOperators.GT, floor).anyTrue()) {
                continue;
            }
            for (int lane = 0; lane < s.length(); lane++) {
                size = insert(ids, vals, size, logits[off + i + lane], i + lane);
            }
            if (size == n) floor = vals[n - 1];
        }
        for (; i < vocab; i++) size = insert(ids, vals, size, logits[off + i], i);
        for (int j = 0; j < size; j++) vals[j] -= logSumExp;
        return new TopLogprobs(ids, vals);
    }

    /** Inserts (v, id) into the descending arrays if it beats the last kept entry; ids arrive ascending. */
    private static int insert(int[] ids, float[] vals, int size, float v, int id) {
        int n = ids.length;
        if (size == n && !(v > vals[n - 1])) return size;
        int pos = size == n ? n - 1 : size;
        while (pos > 0 && vals[pos - 1] < v) {
            vals[pos] = vals[pos - 1];
            ids[pos] = ids[pos - 1];
            pos--;
        }
        vals[pos] = v;
        ids[pos] = id;
        return size == n ? n : size + 1;
    }

    static void checkRow(float[] logits, int off, int vocab) {
        if (vocab <= 0 || off < 0 || off > logits.length - vocab) {
            throw new IllegalArgumentException("logits row [" + off + ", " + off + " + " + vocab
                    + ") does not fit an array of " + logits.length);
        }
    }

    static void checkToken(int token, int vocab) {
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, " + vocab + ")");
        }
    }
}
