package org.sglang4j.core.sampling;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-request side of sampling, created once when the request starts and owned by the scheduler thread: the
 * request's {@link SamplingParams}, its random generator, which tokens it has seen (for the penalties) and how many
 * it has generated (for {@code min_new_tokens}). {@link Sampler#sample} records each chosen token here; tokens
 * that join the output without being sampled (e.g. a grammar's forced continuation) go through
 * {@link #accept(int)}.
 *
 * <p>The generator is this request's own SplitMix64 stream seeded from {@code seed}, and exactly one draw is
 * made per non-greedy sampled token, so a seeded request produces the same tokens whatever else is in the batch.
 */
public final class SamplerState {
    private final SamplingParams params;
    private final int vocabSize;
    private final int[] eosTokenIds;
    private final int[] stopTokenIds;
    private final int[] biasTokens;    // logit_bias, unboxed once so the hot path allocates nothing
    private final float[] biasValues;
    private final TokenOccurrences occurrences = new TokenOccurrences();
    private long rng;
    private int generated;

    /** A request with no prompt history for the repetition penalty. */
    public SamplerState(SamplingParams params, int vocabSize, int[] eosTokenIds) {
        this(params, vocabSize, eosTokenIds, new int[0]);
    }

    /**
     * @param vocabSize    length of the logits rows this request is sampled from
     * @param eosTokenIds  the model's end-of-sequence ids, suppressed until {@code min_new_tokens} is reached
     *                     (unless {@code ignore_eos}, where EOS ends nothing and so needs no suppressing)
     * @param promptTokens the prompt, which the repetition penalty also covers (SGLang semantics)
     */
    public SamplerState(SamplingParams params, int vocabSize, int[] eosTokenIds, int[] promptTokens) {
        if (vocabSize <= 0) throw new IllegalArgumentException("vocab size must be > 0, got " + vocabSize);
        this.params = params;
        this.vocabSize = vocabSize;
        this.eosTokenIds = checkIds(eosTokenIds.clone(), "EOS token id");
        this.stopTokenIds = checkIds(params.stopTokenIds(), "stop_token_ids entry");
        this.biasTokens = new int[params.logitBias().size()];
        this.biasValues = new float[biasTokens.length];
        int j = 0;
        for (Map.Entry<Integer, Float> e : params.logitBias().entrySet()) {
            float v = e.getValue();
            if (Float.isNaN(v)) throw new IllegalArgumentException("logit_bias for token " + e.getKey() + " is NaN");
            biasTokens[j] = e.getKey();
            biasValues[j++] = v;
        }
        checkIds(biasTokens, "logit_bias token id");
        if (params.repetitionPenalty() != 1f) {
            for (int t : checkIds(promptTokens, "prompt token id")) occurrences.addPrompt(t);
        }
        this.rng = params.seed() != null ? params.seed() : ThreadLocalRandom.current().nextLong();
    }

    private int[] checkIds(int[] ids, String what) {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(what + " " + id + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        return ids;
    }

    /** Records a token appended to the output (sampled or forced). */
    public void accept(int token) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, " + vocabSize + ")");
        }
        generated++;
        if (params.frequencyPenalty() != 0 || params.presencePenalty() != 0 || params.repetitionPenalty() != 1f) {
            occurrences.addOutput(token);
        }
    }

    public SamplingParams params() {
        return params;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** Output tokens so far. */
    public int generated() {
        return generated;
    }

    /** How often {@code token} occurred in the output (only tracked while a penalty is active). */
    public int outputCount(int token) {
        return occurrences.outputCountOf(token);
    }

    int[] eosTokenIds() {
        return eosTokenIds;
    }

    int[] stopTokenIds() {
        return stopTokenIds;
    }

    int[] biasTokens() {
        return biasTokens;
    }

    float[] biasValues() {
        return biasValues;
    }

    TokenOccurrences occurrences() {
        return occurrences;
    }

    /** Next uniform double in [0, 1) from this request's SplitMix64 stream (53 random bits). */
    double nextRandom() {
        long z = (rng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
