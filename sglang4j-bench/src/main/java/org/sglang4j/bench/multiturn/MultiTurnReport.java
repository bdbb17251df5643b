package org.sglang4j.bench.multiturn;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Figures of one run: cache hit rate, TTFT percentiles, output throughput. */
record MultiTurnReport(String target, int requests, double cacheHitRate, double ttftP50, double ttftP90,
                       double e2eP50, double outputTokensPerSecond, double wallSeconds) {

    static MultiTurnReport of(MultiTurnRunner.Run run) {
        List<ChatTarget.TurnResult> turns = run.turns();
        long prompt = 0, cached = 0, out = 0;
        double[] ttft = new double[turns.size()];
        double[] e2e = new double[turns.size()];
        for (int i = 0; i < turns.size(); i++) {
            ChatTarget.TurnResult t = turns.get(i);
            prompt += t.promptTokens();
            cached += t.cachedTokens();
            out += t.output().length;
            ttft[i] = t.ttftSeconds();
            e2e[i] = t.e2eSeconds();
        }
        return new MultiTurnReport(run.target(), turns.size(), prompt == 0 ? 0 : (double) cached / prompt,
                percentile(ttft, 0.5), percentile(ttft, 0.9), percentile(e2e, 0.5), out / run.wallSeconds(),
                run.wallSeconds());
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double q) {
        double[] v = values.clone();
        Arrays.sort(v);
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    static String header() {
        return "| target | requests | cache hit rate | TTFT p50 (s) | TTFT p90 (s) | e2e p50 (s) | output tok/s | wall (s) |\n"
                + "|---|---|---|---|---|---|---|---|";
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %d | %.1f%% | %.3f | %.3f | %.3f | %.1f | %.1f |", target, requests,
                100 * cacheHitRate, ttftP50, ttftP90, e2eP50, outputTokensPerSecond, wallSeconds);
    }
}
