package org.sglang4j.core.sampling;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The request-specific edits to a logits row before any token is chosen, in SGLang's order
 * ({@code SamplingBatchInfo.apply_logits_bias} plus the min-new-tokens penalizer):
 * <ol>
 *   <li>frequency and presence penalties, additive over output tokens:
 *       {@code l -= frequency_penalty * count + presence_penalty * (count > 0)};</li>
 *   <li>repetition penalty over prompt and output tokens: {@code l > 0 ? l / r : l * r};</li>
 *   <li>grammar mask: tokens whose bit is clear become -inf;</li>
 *   <li>{@code logit_bias}, added;</li>
 *   <li>{@code min_new_tokens}: while fewer tokens were generated, stop token ids and (unless
 *       {@code ignore_eos}) EOS ids become -inf.</li>
 * </ol>
 * Everything except the mask is sparse (O(distinct seen tokens + bias entries)).
 */
final class LogitAdjustments {
    private static final VectorSpecies<Float> S = LogitKernels.S;
    private static final int LANES = S.length();
    private static final long LANE_BITS = LANES == 64 ? -1L : (1L << LANES) - 1;

    private LogitAdjustments() {}

    /** Whether {@link #apply} would change anything, so the row can be used as it is. */
    static boolean needed(SamplerState state, long[] allowMask) {
        SamplingParams p = state.params();
        boolean penalties = (p.frequencyPenalty() != 0 || p.presencePenalty() != 0 || p.repetitionPenalty() != 1f)
                && state.occurrences().size() > 0;
        return allowMask != null || penalties || state.biasTokens().length > 0 || suppressesStops(state);
    }

    private static boolean suppressesStops(SamplerState state) {
        return state.generated() < state.params().minNewTokens()
                && (state.stopTokenIds().length > 0 || (!state.params().ignoreEos() && state.eosTokenIds().length > 0));
    }

    /** Applies every step to {@code logits[0, vocab)} in place. */
    static void apply(float[] logits, SamplerState state, long[] allowMask) {
        SamplingParams p = state.params();
        int vocab = state.vocabSize();
        float freq = p.frequencyPenalty(), presence = p.presencePenalty(), rep = p.repetitionPenalty();
        if (freq != 0 || presence != 0 || rep != 1f) {
            TokenOccurrences seen = state.occurrences();
            for (int j = 0, n = seen.size(); j < n; j++) {
                int token = seen.token(j);
                int count = seen.outputCount(j);
                float l = logits[token];
                if (count > 0) l -= freq * count + presence;
                if (rep != 1f) l = l > 0 ? l / rep : l * rep;
                logits[token] = l;
            }
        }
        if (allowMask != null) applyMask(logits, vocab, allowMask);
        int[] biasTokens = state.biasTokens();
        float[] biasValues = state.biasValues();
        for (int j = 0; j < biasTokens.length; j++) logits[biasTokens[j]] += biasValues[j];
        if (suppressesStops(state)) {
            for (int t : state.stopTokenIds()) logits[t] = Float.NEGATIVE_INFINITY;
            if (!p.ignoreEos()) for (int t : state.eosTokenIds()) logits[t] = Float.NEGATIVE_INFINITY;
        }
    }

    /** Bit {@code i} of {@code allowMask} (word {@code i / 64}, bit {@code i % 64}) set = token {@code i} allowed. */
    static void applyMask(float[] logits, int vocab, long[] allowMask) {
        for (int w = 0, words = (vocab + 63) >>> 6; w < words; w++) {
            long word = allowMask[w];
            if (word == -1L) continue;
            int base = w << 6;
            if (word == 0) {
                Arrays.fill(logits, base, Math.min(base + 64, vocab), Float.NEGATIVE_INFINITY);
                continue;
            }
            long banned = ~word;
            if (base + 64 <= vocab && 64 % LANES == 0) {
                // A few allowed tokens scattered through the word: blend -inf in vector-sized groups of lanes.
                for (int sub = 0; sub < 64; sub += LANES) {
                    long bits = (banned >>> sub) & LANE_BITS;
                    if (bits == 0) continue;
                    FloatVector v = FloatVector.fromArray(S, logits, base + sub);
                    v.blend(Float.NEGATIVE_INFINITY, VectorMask.fromLong(S, bits)).intoArray(logits, base + sub);
                }
                continue;
            }
            for (; banned != 0; banned &= banned - 1) {
                int i = base + Long.numberOfTrailingZeros(banned);
                if (i < vocab) logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }
}
