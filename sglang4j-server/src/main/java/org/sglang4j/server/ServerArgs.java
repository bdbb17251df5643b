package org.sglang4j.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.sglang4j.engine.EngineConfig;

/**
 * {@code sglang4j serve} options, named after SGLang's {@code launch_server} flags ({@code srt/server_args.py}),
 * checked once here so a bad flag fails at start-up with a message naming it. Nullable boxed fields mean "derive
 * it", as in SGLang.
 *
 * @param modelPath               GGUF / HF directory / llama2.c file / HF repo id; null = built-in demo model
 * @param tpSize                  must be 1: one engine per process, scale-out is replicas behind the router
 * @param logLevel                debug | info | warning | error | critical
 * @param chunkedPrefillSize      -1 disables chunked prefill
 * @param schedulePolicy          fcfs | lpm
 * @param warmups                 warm-up requests sent through the HTTP stack before the server reports ready
 * @param enableCacheReport       kept for SGLang compatibility: {@code cached_tokens} is always reported
 * @param toolCallParser          qwen | qwen25 | hermes | llama3; null = detect from the chat template
 * @param maxRequestBodyBytes     larger request bodies get 413
 * @param gracefulShutdownTimeout seconds a SIGTERM waits for in-flight requests before aborting them
 * @param enableMixedChunk        decode tokens ride along in prefill batches (SGLang --enable-mixed-chunk)
 * @param scheduleConservativeness scales the admission estimate; higher = fewer retractions (SGLang's name)
 */
public record ServerArgs(
        String modelPath,
        String tokenizerPath,
        String host,
        int port,
        int tpSize,
        String logLevel,
        Integer contextLength,
        Integer maxTotalTokens,
        double memFractionStatic,
        int chunkedPrefillSize,
        int maxPrefillTokens,
        Integer maxRunningRequests,
        String schedulePolicy,
        boolean disableRadixCache,
        String apiKey,
        String servedModelName,
        String chatTemplate,
        int threads,
        int warmups,
        boolean enableMetrics,
        String kvCacheDtype,
        boolean enableCacheReport,
        String toolCallParser,
        Long randomSeed,
        long maxRequestBodyBytes,
        int gracefulShutdownTimeout,
        boolean enableMixedChunk,
        double scheduleConservativeness) {

    public static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warning", "error", "critical");
    public static final Set<String> SCHEDULE_POLICIES = Set.of("fcfs", "lpm");
    public static final Set<String> KV_CACHE_DTYPES = Set.of("auto", "f32", "f16", "bf16");
    public static final Set<String> TOOL_CALL_PARSERS = Set.of("qwen", "qwen25", "hermes", "llama3");

    public ServerArgs {
        require(port >= 0 && port <= 65535, "--port must be in [0, 65535] (0 = any free port), got " + port);
        require(host != null && !host.isBlank(), "--host must not be empty");
        require(tpSize == 1, "--tp " + tpSize + " is not supported: sglang4j runs one engine per process on the CPU; "
                + "scale out with several replicas behind the router (sglang4j router) and keep --tp 1");
        require(LOG_LEVELS.contains(logLevel), "--log-level must be one of " + sorted(LOG_LEVELS) + ", got " + logLevel);
        require(contextLength == null || contextLength >= 1, "--context-length must be >= 1, got " + contextLength);
        require(maxTotalTokens == null || maxTotalTokens >= 1, "--max-total-tokens must be >= 1, got " + maxTotalTokens);
        require(memFractionStatic > 0 && memFractionStatic < 1,
                "--mem-fraction-static must be in (0, 1), got " + memFractionStatic);
        require(chunkedPrefillSize == -1 || chunkedPrefillSize >= 1,
                "--chunked-prefill-size must be >= 1, or -1 to disable chunking, got " + chunkedPrefillSize);
        require(maxPrefillTokens >= 1, "--max-prefill-tokens must be >= 1, got " + maxPrefillTokens);
        require(maxRunningRequests == null || maxRunningRequests >= 1,
                "--max-running-requests must be >= 1, got " + maxRunningRequests);
        require(SCHEDULE_POLICIES.contains(schedulePolicy), "--schedule-policy " + schedulePolicy
                + " is not supported; use one of " + sorted(SCHEDULE_POLICIES));
        require(apiKey == null || !apiKey.isEmpty(), "--api-key must not be empty");
        require(servedModelName == null || !servedModelName.isBlank(), "--served-model-name must not be empty");
        require(threads >= 1, "--threads must be >= 1, got " + threads);
        require(warmups >= 0, "--warmups must be >= 0, got " + warmups);
        require(KV_CACHE_DTYPES.contains(kvCacheDtype),
                "--kv-cache-dtype must be one of " + sorted(KV_CACHE_DTYPES) + ", got " + kvCacheDtype);
        require(toolCallParser == null || TOOL_CALL_PARSERS.contains(toolCallParser),
                "--tool-call-parser must be one of " + sorted(TOOL_CALL_PARSERS) + ", got " + toolCallParser);
        require(maxRequestBodyBytes >= 1, "--max-request-body-bytes must be >= 1, got " + maxRequestBodyBytes);
        require(gracefulShutdownTimeout >= 0, "--graceful-shutdown-timeout must be >= 0, got " + gracefulShutdownTimeout);
        require(scheduleConservativeness > 0 && Double.isFinite(scheduleConservativeness),
                "--schedule-conservativeness must be > 0, got " + scheduleConservativeness);
    }

    /** SGLang's defaults where they exist (port 30000, fcfs, 16384 prefill tokens), CPU-sized elsewhere. */
    public static ServerArgs defaults() {
        EngineConfig e = EngineConfig.defaults(null);
        return new ServerArgs(null, null, "127.0.0.1", 30000, 1, "info", null, null, e.memFractionStatic(),
                e.chunkedPrefillSize(), e.maxPrefillTokens(), null, e.schedulePolicy(), false, null, null, null,
                e.threads(), 1, false, e.kvCacheDtype(), false, null, null, 64L << 20, 30, e.enableMixedChunk(),
                e.scheduleConservativeness());
    }

    /**
     * The engine's part. Warm-ups are 0 there: the server sends its own through the whole HTTP path, which warms
     * the engine too.
     */
    public EngineConfig engineConfig() {
        return new EngineConfig(modelPath, tokenizerPath, contextLength, maxTotalTokens, memFractionStatic,
                chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy, disableRadixCache, threads,
                kvCacheDtype, servedModelName, chatTemplate, 0, randomSeed, enableMixedChunk, scheduleConservativeness);
    }

    /** For {@code /get_server_info}: SGLang's snake_case names; the API key is never echoed. */
    public Map<String, Object> toInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_path", modelPath);
        m.put("tokenizer_path", tokenizerPath);
        m.put("host", host);
        m.put("port", port);
        m.put("tp_size", tpSize);
        m.put("log_level", logLevel);
        m.put("context_length", contextLength);
        m.put("max_total_tokens", maxTotalTokens);
        m.put("mem_fraction_static", memFractionStatic);
        m.put("chunked_prefill_size", chunkedPrefillSize);
        m.put("max_prefill_tokens", maxPrefillTokens);
        m.put("max_running_requests", maxRunningRequests);
        m.put("schedule_policy", schedulePolicy);
        m.put("disable_radix_cache", disableRadixCache);
        m.put("api_key", apiKey == null ? null : "<redacted>");
        m.put("served_model_name", servedModelName);
        m.put("chat_template", chatTemplate);
        m.put("threads", threads);
        m.put("warmups", warmups);
        m.put("enable_metrics", enableMetrics);
        m.put("kv_cache_dtype", kvCacheDtype);
        m.put("enable_cache_report", enableCacheReport);
        m.put("tool_call_parser", toolCallParser);
        m.put("random_seed", randomSeed);
        m.put("max_request_body_bytes", maxRequestBodyBytes);
        m.put("graceful_shutdown_timeout", gracefulShutdownTimeout);
        m.put("enable_mixed_chunk", enableMixedChunk);
        m.put("schedule_conservativeness", scheduleConservativeness);
        return m;
    }

    private static String sorted(Set<String> s) {
        return s.stream().sorted().toList().toString();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
