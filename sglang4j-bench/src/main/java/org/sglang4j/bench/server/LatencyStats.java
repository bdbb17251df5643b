package org.sglang4j.bench.server;

import java.util.Arrays;

/** Latency percentiles of one run, in milliseconds, and its throughput. */
public record LatencyStats(int requests, double wallSeconds, double requestsPerSecond, double p50Ms, double p90Ms,
                           double p99Ms, double maxMs) {

    /** {@code nanos}: one latency per completed request. */
    static LatencyStats of(long[] nanos, double wallSeconds) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, wallSeconds, sorted.length / wallSeconds, pct(sorted, 0.50),
                pct(sorted, 0.90), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    /** Nearest-rank percentile. */
    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
