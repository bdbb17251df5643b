package org.sglang4j.engine;

/**
 * What the engine needs to start; the server's {@code ServerArgs} projects onto it. Nullable boxed fields mean
 * "derive a default" as SGLang does.
 *
 * @param modelPath          GGUF file, HF directory, llama2.c .bin or HF repo id; null = built-in demo model
 * @param tokenizerPath      overrides where the tokenizer is read from; null = with the model
 * @param contextLength      null = the model's own
 * @param maxTotalTokens     KV pool size in tokens; null = from memFractionStatic
 * @param memFractionStatic  fraction of the machine's memory for weights + KV pool: the pool gets what is available
 *                           beyond the other {@code 1 − fraction} of the total (SGLang's rule, see EngineSizing)
 * @param chunkedPrefillSize max tokens of one prefill chunk; -1 disables chunking
 * @param maxPrefillTokens   token budget of one prefill batch
 * @param maxRunningRequests null = derived from the pool size
 * @param schedulePolicy     "fcfs" or "lpm"
 * @param kvCacheDtype       "auto" (= f32), "f32", "f16", "bf16"
 * @param chatTemplate       built-in template name or a file; null = the model's own
 * @param warmups            warm-up requests run before the engine reports ready
 * @param enableMixedChunk   run running requests' decode tokens in the same pass as a prefill (SGLang
 *                           {@code --enable-mixed-chunk})
 * @param scheduleConservativeness scales the new-token-ratio admission estimate (SGLang
 *                           {@code --schedule-conservativeness}); higher = fewer retractions, less batching
 */
public record EngineConfig(
        String modelPath,
        String tokenizerPath,
        Integer contextLength,
        Integer maxTotalTokens,
        double memFractionStatic,
        int chunkedPrefillSize,
        int maxPrefillTokens,
        Integer maxRunningRequests,
        String schedulePolicy,
        boolean disableRadixCache,
        int threads,
        String kvCacheDtype,
        String servedModelName,
        String chatTemplate,
        int warmups,
        Long randomSeed,
        boolean enableMixedChunk,
        double scheduleConservativeness) {

    /** The original sixteen-field shape: mixed chunks off, conservativeness 1.0 (SGLang's defaults). */
    public EngineConfig(String modelPath, String tokenizerPath, Integer contextLength, Integer maxTotalTokens,
                        double memFractionStatic, int chunkedPrefillSize, int maxPrefillTokens,
                        Integer maxRunningRequests, String schedulePolicy, boolean disableRadixCache, int threads,
                        String kvCacheDtype, String servedModelName, String chatTemplate, int warmups,
                        Long randomSeed) {
        this(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize,
                maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads, kvCacheDtype,
                servedModelName, chatTemplate, warmups, randomSeed, false, 1.0);
    }

    /** SGLang's defaults, sized for a CPU: 2048-token prefill chunks, 16384-token prefill budget. */
    public static EngineConfig defaults(String modelPath) {
        return new EngineConfig(modelPath, null, null, null, 0.5, 2048, 16384, null, "fcfs", false,
                Runtime.getRuntime().availableProcessors(), "auto", null, null, 1, null, false, 1.0);
    }

    public EngineConfig withMaxTotalTokens(Integer v) {
        return toBuilder().maxTotalTokens(v).build();
    }

    public EngineConfig withMaxRunningRequests(Integer v) {
        return toBuilder().maxRunningRequests(v).build();
    }

    public EngineConfig withChunkedPrefillSize(int v) {
        return toBuilder().chunkedPrefillSize(v).build();
    }

    public EngineConfig withSchedulePolicy(String v) {
        return toBuilder().schedulePolicy(v).build();
    }

    public EngineConfig withDisableRadixCache(boolean v) {
        return toBuilder().disableRadixCache(v).build();
    }

    public EngineConfig withEnableMixedChunk(boolean v) {
        return toBuilder().enableMixedChunk(v).build();
    }

    public EngineConfig withWarmups(int v) {
        return toBuilder().warmups(v).build();
    }

    public EngineConfig withThreads(int v) {
        return toBuilder().threads(v).build();
    }

    public EngineConfig withContextLength(Integer v) {
        return toBuilder().contextLength(v).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy to change a few fields of, field by field instead of through the long constructor. */
    public static final class Builder {
        private String modelPath;
        private String tokenizerPath;
        private Integer contextLength;
        private Integer maxTotalTokens;
        private double memFractionStatic;
        private int chunkedPrefillSize;
        private int maxPrefillTokens;
        private Integer maxRunningRequests;
        private String schedulePolicy;
        private boolean disableRadixCache;
        private int threads;
        private String kvCacheDtype;
        private String servedModelName;
        private String chatTemplate;
        private int warmups;
        private Long randomSeed;
        private boolean enableMixedChunk;
        private double scheduleConservativeness;

        private Builder(EngineConfig c) {
            modelPath = c.modelPath;
            tokenizerPath = c.tokenizerPath;
            contextLength = c.contextLength;
            maxTotalTokens = c.maxTotalTokens;
            memFractionStatic = c.memFractionStatic;
            chunkedPrefillSize = c.chunkedPrefillSize;
            maxPrefillTokens = c.maxPrefillTokens;
            maxRunningRequests = c.maxRunningRequests;
            schedulePolicy = c.schedulePolicy;
            disableRadixCache = c.disableRadixCache;
            threads = c.threads;
            kvCacheDtype = c.kvCacheDtype;
            servedModelName = c.servedModelName;
            chatTemplate = c.chatTemplate;
            warmups = c.warmups;
            randomSeed = c.randomSeed;
            enableMixedChunk = c.enableMixedChunk;
            scheduleConservativeness = c.scheduleConservativeness;
        }

        public Builder modelPath(String v) {
            modelPath = v;
            return this;
        }

        public Builder tokenizerPath(String v) {
            tokenizerPath = v;
            return this;
        }

        public Builder contextLength(Integer v) {
            contextLength = v;
            return this;
        }

        public Builder maxTotalTokens(Integer v) {
            maxTotalTokens = v;
            return this;
        }

        public Builder memFractionStatic(double v) {
            memFractionStatic = v;
            return this;
        }

        public Builder chunkedPrefillSize(int v) {
            chunkedPrefillSize = v;
            return this;
        }

        public Builder maxPrefillTokens(int v) {
            maxPrefillTokens = v;
            return this;
        }

        public Builder maxRunningRequests(Integer v) {
            maxRunningRequests = v;
            return this;
        }

        public Builder schedulePolicy(String v) {
            schedulePolicy = v;
            return this;
        }

        public Builder disableRadixCache(boolean v) {
            disableRadixCache = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder kvCacheDtype(String v) {
            kvCacheDtype = v;
            return this;
        }

        public Builder servedModelName(String v) {
            servedModelName = v;
            return this;
        }

        public Builder chatTemplate(String v) {
            chatTemplate = v;
            return this;
        }

        public Builder warmups(int v) {
            warmups = v;
            return this;
        }

        public Builder randomSeed(Long v) {
            randomSeed = v;
            return this;
        }

        public Builder enableMixedChunk(boolean v) {
            enableMixedChunk = v;
            return this;
        }

        public Builder scheduleConservativeness(double v) {
            scheduleConservativeness = v;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic,
                    chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache,
                    threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk,
                    scheduleConservativeness);
        }
    }
}
