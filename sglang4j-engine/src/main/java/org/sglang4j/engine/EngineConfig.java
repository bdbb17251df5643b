package org.sglang4j.engine;

/**
 * What the engine needs to start; the server's {@code ServerArgs} projects onto it. Nullable boxed fields mean
 * "derive a default" as SGLang does.
 *
 * @param modelPath          GGUF file, HF directory, llama2.c .bin or HF repo id; null = built-in demo model
 * @param tokenizerPath      overrides where the tokenizer is read from; null = with the model
 * @param contextLength      null = the model's own
 * @param maxTotalTokens     KV pool size in tokens; null = from memFractionStatic
 * @param memFractionStatic  fraction of the JVM's free memory (after weights) for the KV pool
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
        return new EngineConfig(modelPath, tokenizerPath, contextLength, v, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withMaxRunningRequests(Integer v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, v, schedulePolicy, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withChunkedPrefillSize(int v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, v, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withSchedulePolicy(String v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, v, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withDisableRadixCache(boolean v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, v, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withEnableMixedChunk(boolean v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, v, scheduleConservativeness);
    }

    public EngineConfig withWarmups(int v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, v, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withThreads(int v) {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, v, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    public EngineConfig withContextLength(Integer v) {
        return new EngineConfig(modelPath, tokenizerPath, v, maxTotalTokens, memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads, kvCacheDtype, servedModelName, chatTemplate, warmups, randomSeed, enableMixedChunk, scheduleConservativeness);
    }
}
