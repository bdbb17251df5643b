package org.sglang4j.bench.serving;

import java.util.Arrays;

/** Summary of one latency metric in milliseconds; percentiles interpolate linearly as numpy's do. */
public record Distribution(int count, double mean, double median, double p90, double p99, double max) {

    public static Distribution ofSeconds(double[] seconds) {
        double[] v = Arrays.stream(seconds).filter(d -> !Double.isNaN(d)).map(d -> d * 1000).sorted().toArray();
        if (v.length == 0) return new Distribution(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        return new Distribution(v.length, Arrays.stream(v).average().orElseThrow(), percentile(v, 50),
                percentile(v, 90), percentile(v, 99), v[v.length - 1]);
    }

    /** {@code p}-th percentile of sorted values, linear interpolation between closest ranks. */
    static double percentile(double[] sorted, double p) {
        double rank = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
