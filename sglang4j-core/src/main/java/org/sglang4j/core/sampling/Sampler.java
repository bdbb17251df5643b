package org.sglang4j.core.sampling;

/**
 * Chooses the next token of one request from one row of logits. The scheduler thread calls {@link #sample} once
 * per running request per step; one {@code Sampler} (its scratch sized for the vocabulary) serves every request,
 * and everything request-specific lives in the request's {@link SamplerState}. Not thread-safe.
 *
 * <p>Pipeline, in SGLang's order: penalties (frequency/presence, then repetition) → grammar mask → logit bias →
 * min-new-tokens suppression of stop/EOS ids ({@link LogitAdjustments}); then greedy ({@code temperature < 1e-6}
 * or {@code top_k == 1}: argmax, lowest id on ties, no random draw) or temperature → softmax → top-k / top-p /
 * min-p → draw ({@link ProbabilitySampler}). The raw row is never modified: edits go to a scratch copy, made only
 * when there is something to edit. Per call the only allocations are the returned record and, when asked for,
 * its top-logprob arrays.
 */
public final class Sampler {
    /** Pass as {@code topLogprobs} when the request wants no logprobs (the result's logprob is then NaN). */
    public static final int NO_LOGPROBS = -1;

    private final int vocab;
    private final float[] work;  // [vocab] adjusted logits
    private final ProbabilitySampler probabilitySampler;

    public Sampler(int vocab) {
        if (vocab <= 0) throw new IllegalArgumentException("vocab size must be > 0, got " + vocab);
        this.vocab = vocab;
        this.work = new float[vocab];
        this.probabilitySampler = new ProbabilitySampler(vocab);
    }

    public int vocab() {
        return vocab;
    }

    /**
     * Samples the next token of {@code state}'s request and records it in {@code state}.
     *
     * @param logits      holds the row at {@code [offset, offset + vocab)}; not modified
     * @param allowMask   grammar mask, bit {@code i} (word {@code i >>> 6}, bit {@code i & 63}) set = token
     *                    {@code i} allowed; null = unconstrained
     * @param topLogprobs {@link #NO_LOGPROBS}, 0 for the chosen token's logprob only, or how many alternatives
     * @throws IllegalStateException if the mask and min-new-tokens leave no token allowed
     */
    public SampledToken sample(float[] logits, int offset, SamplerState state, long[] allowMask, int topLogprobs) {
        Logprobs.checkRow(logits, offset, vocab);
        if (state.vocabSize() != vocab) {
            throw new IllegalArgumentException("request state is for a vocabulary of " + state.vocabSize()
                    + ", this sampler's is " + vocab);
        }
        if (allowMask != null && allowMask.length < (vocab + 63) >>> 6) {
            throw new IllegalArgumentException("grammar mask has " + allowMask.length + " words, a vocabulary of "
                    + vocab + " needs " + ((vocab + 63) >>> 6));
        }
        float[] row = logits;
        int base = offset;
        if (LogitAdjustments.needed(state, allowMask)) {
            System.arraycopy(logits, offset, work, 0, vocab);
            LogitAdjustments.apply(work, state, allowMask);
            row = work;
            base = 0;
        }
        float max = LogitKernels.max(row, base, vocab);
        if (Float.isNaN(max)) throw new IllegalArgumentException("logits row contains NaN");
        if (max == Float.POSITIVE_INFINITY) throw new IllegalArgumentException("logits row contains +Infinity");
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("no token is allowed: the grammar mask and min_new_tokens exclude the "
                    + "whole vocabulary");
        }
        SamplingParams p = state.params();
        int token = p.isGreedy()
                ? LogitKernels.indexOf(row, base, vocab, max)
                : probabilitySampler.sample(row, base, vocab, max, p, state);
        state.accept(token);
        if (topLogprobs < 0) return new SampledToken(token, Float.NaN, TopLogprobs.NONE);
        float lse = LogitKernels.logSumExp(logits, offset, vocab);
        TopLogprobs top = topLogprobs == 0 ? TopLogprobs.NONE : Logprobs.top(logits, offset, vocab, topLogprobs, lse);
        return new SampledToken(token, logits[offset + token] - lse, top);
    }
}
