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
        Long randomSeed) {

    /** SGLang's defaults, sized for a CPU: 2048-token prefill chunks, 16384-token prefill budget. */
    public static EngineConfig defaults(String modelPath) {
        return new EngineConfig(modelPath, null, null, null, 0.5, 2048, 16384, null, "fcfs", false,
                Runtime.getRuntime().availableProcessors(), "auto", null, null, 1, null);
    }
}
