package org.sglang4j.bench.offline;

/**
 * What {@code bench offline --output-file} writes (SGLang's bench_offline_throughput figures).
 *
 * @param durationS      from submitting the first request to the last one finishing
 * @param cacheHitRate   cached prompt tokens / prompt tokens, as the engine reported per request
 * @param meanTtftS      mean time to first token (all requests are queued at once, so this includes queueing)
 */
public record OfflineReport(String command, String date, String model, String dataset, int threads,
                            boolean disableRadixCache, int requests, int failed, double durationS,
                            long totalInputTokens, long totalOutputTokens, double requestThroughput,
                            double inputThroughput, double outputThroughput, double totalThroughput,
                            double cacheHitRate, double meanTtftS) {}
