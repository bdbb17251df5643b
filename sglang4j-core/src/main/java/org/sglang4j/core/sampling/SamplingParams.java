package org.sglang4j.core.sampling;

import java.util.List;
import java.util.Map;

/**
 * Per-request sampling parameters with SGLang's names, defaults and validation
 * ({@code srt/sampling/sampling_params.py}). Invalid values throw {@link IllegalArgumentException} naming the
 * field, which the server turns into a 400.
 *
 * @param temperature       {@code < 1e-6} means greedy
 * @param topK              -1 = all tokens
 * @param logitBias         token id → additive bias
 * @param seed              per-request RNG seed (reproducible sampling); null = random
 * @param constraint        regex / JSON schema / choices constraint, or null
 */
public record SamplingParams(
        int maxNewTokens,
        int minNewTokens,
        float temperature,
        float topP,
        int topK,
        float minP,
        float frequencyPenalty,
        float presencePenalty,
        float repetitionPenalty,
        List<String> stop,
        int[] stopTokenIds,
        boolean ignoreEos,
        boolean skipSpecialTokens,
        boolean spacesBetweenSpecialTokens,
        boolean noStopTrim,
        int n,
        Map<Integer, Float> logitBias,
        Long seed,
        Constraint constraint) {

    public static final float GREEDY_TEMPERATURE = 1e-6f;

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        stopTokenIds = stopTokenIds == null ? new int[0] : stopTokenIds.clone();
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
        require(maxNewTokens >= 0, "max_new_tokens must be >= 0, got " + maxNewTokens);
        require(minNewTokens >= 0 && minNewTokens <= maxNewTokens,
                "min_new_tokens must be in [0, max_new_tokens], got " + minNewTokens);
        require(Float.isFinite(temperature) && temperature >= 0, "temperature must be a finite value >= 0, got " + temperature);
        require(topP > 0 && topP <= 1, "top_p must be in (0, 1], got " + topP);
        require(topK == -1 || topK >= 1, "top_k must be -1 (disabled) or >= 1, got " + topK);
        require(minP >= 0 && minP <= 1, "min_p must be in [0, 1], got " + minP);
        require(frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        require(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty must be in [-2, 2], got " + presencePenalty);
        require(repetitionPenalty > 0 && repetitionPenalty <= 2, "repetition_penalty must be in (0, 2], got " + repetitionPenalty);
        require(n >= 1, "n must be >= 1, got " + n);
        for (String s : stop) require(s != null && !s.isEmpty(), "stop strings must be non-empty");
    }

    public static SamplingParams defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isGreedy() {
        return temperature < GREEDY_TEMPERATURE || topK == 1;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxNewTokens = maxNewTokens;
        b.minNewTokens = minNewTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.minP = minP;
        b.frequencyPenalty = frequencyPenalty;
        b.presencePenalty = presencePenalty;
        b.repetitionPenalty = repetitionPenalty;
        b.stop = stop;
        b.stopTokenIds = stopTokenIds;
        b.ignoreEos = ignoreEos;
        b.skipSpecialTokens = skipSpecialTokens;
        b.spacesBetweenSpecialTokens = spacesBetweenSpecialTokens;
        b.noStopTrim = noStopTrim;
        b.n = n;
        b.logitBias = logitBias;
        b.seed = seed;
        b.constraint = constraint;
        return b;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** Mutable builder; the server fills it from JSON, then {@link #build()} validates. */
    public static final class Builder {
        public int maxNewTokens = 128;
        public int minNewTokens = 0;
        public float temperature = 1.0f;
        public float topP = 1.0f;
        public int topK = -1;
        public float minP = 0f;
        public float frequencyPenalty = 0f;
        public float presencePenalty = 0f;
        public float repetitionPenalty = 1.0f;
        public List<String> stop = List.of();
        public int[] stopTokenIds = new int[0];
        public boolean ignoreEos = false;
        public boolean skipSpecialTokens = true;
        public boolean spacesBetweenSpecialTokens = true;
        public boolean noStopTrim = false;
        public int n = 1;
        public Map<Integer, Float> logitBias = Map.of();
        public Long seed = null;
        public Constraint constraint = null;

        public Builder maxNewTokens(int v) { maxNewTokens = v; return this; }
        public Builder minNewTokens(int v) { minNewTokens = v; return this; }
        public Builder temperature(float v) { temperature = v; return this; }
        public Builder topP(float v) { topP = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder minP(float v) { minP = v; return this; }
        public Builder frequencyPenalty(float v) { frequencyPenalty = v; return this; }
        public Builder presencePenalty(float v) { presencePenalty = v; return this; }
        public Builder repetitionPenalty(float v) { repetitionPenalty = v; return this; }
        public Builder stop(List<String> v) { stop = v; return this; }
        public Builder stopTokenIds(int... v) { stopTokenIds = v; return this; }
        public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }
        public Builder skipSpecialTokens(boolean v) { skipSpecialTokens = v; return this; }
        public Builder noStopTrim(boolean v) { noStopTrim = v; return this; }
        public Builder n(int v) { n = v; return this; }
        public Builder logitBias(Map<Integer, Float> v) { logitBias = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder constraint(Constraint v) { constraint = v; return this; }

        public SamplingParams build() {
            return new SamplingParams(maxNewTokens, minNewTokens, temperature, topP, topK, minP, frequencyPenalty,
                    presencePenalty, repetitionPenalty, stop, stopTokenIds, ignoreEos, skipSpecialTokens,
                    spacesBetweenSpecialTokens, noStopTrim, n, logitBias, seed, constraint);
        }
    }
}
