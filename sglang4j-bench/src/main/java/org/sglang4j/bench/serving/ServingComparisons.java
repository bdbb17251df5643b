package org.sglang4j.bench.serving;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.bench.Comparison;

/**
 * Pairs launched sglang4j and llama.cpp runs with the same prefix-cache setting (sglang4j with llama.cpp,
 * sglang4j-no-cache with llama.cpp-no-cache) and compares throughput and latency percentiles.
 */
final class ServingComparisons {
    private ServingComparisons() {}

    static List<Comparison> of(List<ServingReport.Run> runs) {
        List<Comparison> out = new ArrayList<>();
        pair(runs, "sglang4j", "llama.cpp", "", out);
        pair(runs, "sglang4j-no-cache", "llama.cpp-no-cache", ", prefix cache off", out);
        return out;
    }

    private static void pair(List<ServingReport.Run> runs, String ours, String peer, String suffix, List<Comparison> out) {
        ServingReport.Run a = runs.stream().filter(r -> r.label().equals(ours)).findFirst().orElse(null);
        ServingReport.Run b = runs.stream().filter(r -> r.label().equals(peer)).findFirst().orElse(null);
        if (a == null || b == null) return;
        ServingMetrics x = a.metrics();
        ServingMetrics y = b.metrics();
        out.add(c("output tok/s" + suffix, "tok/s", x.outputThroughput(), y.outputThroughput(), true, a, b));
        out.add(c("request throughput" + suffix, "req/s", x.requestThroughput(), y.requestThroughput(), true, a, b));
        out.add(c("TTFT p50" + suffix, "ms", x.ttft().median(), y.ttft().median(), false, a, b));
        out.add(c("TTFT p90" + suffix, "ms", x.ttft().p90(), y.ttft().p90(), false, a, b));
        out.add(c("ITL p50" + suffix, "ms", x.itl().median(), y.itl().median(), false, a, b));
        out.add(c("e2e latency p90" + suffix, "ms", x.e2eLatency().p90(), y.e2eLatency().p90(), false, a, b));
        ServingReport.ServerMemory ma = a.memory();
        ServingReport.ServerMemory mb = b.memory();
        if (ma != null && mb != null) {
            out.add(c("resident memory" + suffix, "MiB", ma.residentMiB(), mb.residentMiB(), false, a, b));
            // Same model file and the same pool (parallel × context tokens, same KV type) on both sides, so what the
            // peer holds beyond them is its resident set less our reported weights and whole pool (llama.cpp clears,
            // so touches, its KV buffer at start); ours is less the pool's resident part (it is mapped lazily).
            out.add(c("memory beyond weights + KV pool" + suffix, "MiB", ma.overheadMiB(),
                    mb.residentMiB() - ma.weightsMiB() - ma.kvPoolMiB(), false, a, b));
        }
    }

    private static Comparison c(String metric, String unit, double ours, double peer, boolean higher,
                                ServingReport.Run a, ServingReport.Run b) {
        return new Comparison(metric, unit, ours, peer, higher, a.label() + " via " + a.backend(),
                b.label() + " via " + b.backend());
    }
}
