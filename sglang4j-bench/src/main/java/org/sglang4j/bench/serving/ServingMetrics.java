package org.sglang4j.bench.serving;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The figures of SGLang's bench_serving, over the successful requests of one run.
 *
 * @param durationS      from the first request sent to the last response finished
 * @param concurrency    mean number of requests in flight (sum of latencies / duration)
 * @param cacheHitRate   cached prompt tokens / prompt tokens over requests whose server reported a cached count;
 *                       NaN when it reported none
 * @param tpot           time per output token after the first: (e2e − TTFT) / (output tokens − 1)
 */
public record ServingMetrics(int completed, int failed, double durationS, long totalInputTokens,
                             long totalOutputTokens, double requestThroughput, double inputThroughput,
                             double outputThroughput, double totalThroughput, double concurrency,
                             double cacheHitRate, Distribution ttft, Distribution tpot, Distribution itl,
                             Distribution e2eLatency) {

    public static ServingMetrics compute(List<RequestResult> results, double durationS) {
        List<RequestResult> ok = results.stream().filter(RequestResult::success).toList();
        long in = 0;
        long out = 0;
        long cached = 0;
        long cachedOf = 0;
        double latencySum = 0;
        for (RequestResult r : ok) {
            in += r.promptTokens();
            out += r.outputTokens();
            latencySum += r.latencyS();
            if (r.cachedTokens() >= 0) {
                cached += r.cachedTokens();
                cachedOf += r.promptTokens();
            }
        }
        double d = durationS > 0 ? durationS : Double.NaN;
        double[] ttft = ok.stream().mapToDouble(RequestResult::ttftS).toArray();
        double[] tpot = ok.stream().filter(r -> r.outputTokens() > 1)
                .mapToDouble(r -> (r.latencyS() - r.ttftS()) / (r.outputTokens() - 1)).toArray();
        double[] itl = ok.stream().flatMapToDouble(r -> Arrays.stream(r.itlS())).toArray();
        double[] e2e = ok.stream().mapToDouble(RequestResult::latencyS).toArray();
        return new ServingMetrics(ok.size(), results.size() - ok.size(), durationS, in, out, ok.size() / d, in / d,
                out / d, (in + out) / d, latencySum / d, cachedOf > 0 ? (double) cached / cachedOf : Double.NaN,
                Distribution.ofSeconds(ttft), Distribution.ofSeconds(tpot), Distribution.ofSeconds(itl),
                Distribution.ofSeconds(e2e));
    }

    /** The human-readable block bench_serving prints. */
    public String format(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n============ Serving Benchmark Result: %s ============%n", title));
        line(sb, "Successful requests:", completed);
        line(sb, "Failed requests:", failed);
        line(sb, "Benchmark duration (s):", durationS);
        line(sb, "Total input tokens:", totalInputTokens);
        line(sb, "Total generated tokens:", totalOutputTokens);
        line(sb, "Request throughput (req/s):", requestThroughput);
        line(sb, "Input token throughput (tok/s):", inputThroughput);
        line(sb, "Output token throughput (tok/s):", outputThroughput);
        line(sb, "Total token throughput (tok/s):", totalThroughput);
        line(sb, "Concurrency:", concurrency);
        line(sb, "Cache hit rate:", Double.isNaN(cacheHitRate) ? "n/a (not reported by the server)"
                : String.format(Locale.ROOT, "%.1f%%", 100 * cacheHitRate));
        block(sb, "End-to-End Latency", "E2E Latency", e2eLatency);
        block(sb, "Time to First Token", "TTFT", ttft);
        block(sb, "Time per Output Token (excl. 1st token)", "TPOT", tpot);
        block(sb, "Inter-Token Latency", "ITL", itl);
        sb.append("=".repeat(50)).append('\n');
        return sb.toString();
    }

    private static void block(StringBuilder sb, String heading, String name, Distribution d) {
        String pad = "-".repeat(Math.max(0, (48 - heading.length()) / 2));
        sb.append(pad).append(heading).append(pad).append('\n');
        line(sb, "Mean " + name + " (ms):", d.mean());
        line(sb, "Median " + name + " (ms):", d.median());
        line(sb, "P90 " + name + " (ms):", d.p90());
        line(sb, "P99 " + name + " (ms):", d.p99());
    }

    private static void line(StringBuilder sb, String label, Object value) {
        String v = value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : String.valueOf(value);
        sb.append(String.format(Locale.ROOT, "%-40s %s%n", label, v));
    }
}
