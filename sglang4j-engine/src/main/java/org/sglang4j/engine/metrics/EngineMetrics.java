package org.sglang4j.engine.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.sglang4j.engine.EngineStats;

/**
 * The engine's Prometheus metrics under SGLang's names and default buckets ({@code srt/metrics/collector.py}),
 * labelled with {@code model_name}. Scheduler gauges are read from the latest {@link EngineStats} snapshot at
 * scrape time; latency histograms and token counters are fed by the output stage as requests stream and finish.
 */
public final class EngineMetrics {
    static final double[] TTFT_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400};
    static final double[] ITL_BUCKETS = {0.002, 0.004, 0.006, 0.008, 0.010, 0.015, 0.020, 0.025, 0.030, 0.035, 0.040,
        0.060, 0.080, 0.100, 0.200, 0.400, 0.600, 0.800, 1.0, 2.0, 4.0, 6.0, 8.0};
    static final double[] E2E_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 800};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String modelName;
    private final Histogram ttft;
    private final Histogram itl;
    private final Histogram e2e;
    private final Counter promptTokens;
    private final Counter generationTokens;
    private final Counter cachedTokens;
    private final Counter numRequests;

    public EngineMetrics(String modelName, Supplier<EngineStats> stats) {
        this.modelName = modelName;
        gauge("sglang:num_running_reqs", "The number of running requests.", stats, EngineStats::runningReqs);
        gauge("sglang:num_queue_reqs", "The number of requests in the waiting queue.", stats, EngineStats::queuedReqs);
        gauge("sglang:num_grammar_queue_reqs", "The number of requests whose grammar is being compiled.", stats,
                EngineStats::grammarQueueReqs);
        gauge("sglang:num_used_tokens", "The number of used KV cache tokens.", stats, EngineStats::usedTokens);
        gauge("sglang:token_usage", "The token usage of the KV cache pool.", stats, EngineStats::tokenUsage);
        gauge("sglang:cache_hit_rate", "The prefix cache hit rate.", stats, EngineStats::cacheHitRate);
        gauge("sglang:gen_throughput", "The generation throughput (token/s).", stats, EngineStats::genThroughput);
        CounterWithCallback.builder().name("sglang:num_retracted_reqs").help("The number of retracted requests.")
                .labelNames("model_name").callback(cb -> cb.call(stats.get().totalRetractions(), modelName))
                .register(registry);
        ttft = histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", TTFT_BUCKETS);
        itl = histogram("sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", ITL_BUCKETS);
        e2e = histogram("sglang:e2e_request_latency_seconds", "Histogram of end-to-end request latency in seconds.",
                E2E_BUCKETS);
        promptTokens = counter("sglang:prompt_tokens", "Number of prefill tokens processed.");
        generationTokens = counter("sglang:generation_tokens", "Number of generation tokens processed.");
        cachedTokens = counter("sglang:cached_tokens", "Number of cached prompt tokens.");
        numRequests = counter("sglang:num_requests", "Number of requests processed.");
    }

    private void gauge(String name, String help, Supplier<EngineStats> stats, ToDoubleFunction<EngineStats> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames("model_name")
                .callback(cb -> cb.call(value.applyAsDouble(stats.get()), modelName)).register(registry);
    }

    private Histogram histogram(String name, String help, double[] buckets) {
        return Histogram.builder().name(name).help(help).labelNames("model_name").classicOnly()
                .classicUpperBounds(buckets).register(registry);
    }

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("model_name").register(registry);
    }

    public void observeTimeToFirstToken(double seconds) {
        ttft.labelValues(modelName).observe(seconds);
    }

    /** SGLang observes one value per streamed chunk: the interval divided by the chunk's token count. */
    public void observeInterTokenLatency(double seconds) {
        itl.labelValues(modelName).observe(seconds);
    }

    public void observeRequestFinished(double e2eSeconds, int prompt, int generated, int cached) {
        e2e.labelValues(modelName).observe(e2eSeconds);
        promptTokens.labelValues(modelName).inc(prompt);
        generationTokens.labelValues(modelName).inc(generated);
        cachedTokens.labelValues(modelName).inc(cached);
        numRequests.labelValues(modelName).inc();
    }

    /** Prometheus text exposition format (version 0.0.4). */
    public String prometheusText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
