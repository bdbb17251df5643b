package org.sglang4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.onebatch.OneBatchReport;
import org.sglang4j.bench.serving.Distribution;
import org.sglang4j.bench.serving.ServingMetrics;
import org.sglang4j.bench.serving.ServingReport;

/** The summary rows issue 8 requires: always present, filled from the parts' comparisons, missing ones explained. */
class HeadlineTest {

    private static Comparison c(String metric, double ours, double peer, boolean higher) {
        return new Comparison(metric, higher ? "tok/s" : "ms", ours, peer, higher, "ours", "peer");
    }

    private static ServingReport.Run run(String label, double outTokPerS, double itlS) {
        Distribution d = Distribution.ofSeconds(new double[] {0.1});
        Distribution itl = Distribution.ofSeconds(new double[] {itlS});
        var m = new ServingMetrics(1, 0, 1, 10, 10, 1, 10, outTokPerS, 10 + outTokPerS, 1, Double.NaN, d, d, itl, d);
        return new ServingReport.Run(label, "u", "openai", null, 0, m, List.of(), null);
    }

    @Test
    void everyRequiredFigureHasARowWithItsRatioOrTheReasonItIsMissing() {
        OneBatchReport q8 = new OneBatchReport("cmd", "d", "m", "Q8_0", 1 << 20, 2, "f16", 0.1, 0, List.of(), null, List.of(
                c("prefill tok/s, prompt 512", 150, 200, true), c("decode tok/s, batch 1", 30, 30, true),
                c("decode tok/s, batch 2", 50, 60, true), c("decode tok/s, batch 8", 150, 120, true),
                c("decode tok/s, batch 16", 200, 150, true)), "k");
        ServingReport mt = new ServingReport("cmd", "d", "m", "multi-turn", 1, 10, Double.POSITIVE_INFINITY, 4, null,
                List.of(), List.of(c("TTFT p90", 100, 200, false), c("output tok/s", 40, 20, true)));
        ServingReport free = new ServingReport("cmd", "d", "m", "random", 1, 1, 1, 1, null,
                List.of(run("sglang4j", 40, 0.040), run("llama.cpp", 50, 0.060)), List.of());
        ServingReport json = new ServingReport("cmd", "d", "m", "random", 1, 1, 1, 1, "{}",
                List.of(run("sglang4j", 30, 0.050), run("llama.cpp", 25, 0.060)), List.of(c("output tok/s", 30, 25, true)));
        SuiteResults r = new SuiteResults(null, Map.of("q8_0", q8), Map.of(), mt, free, json, Map.of(),
                Map.of("multi-turn/sglang4j-no-cache", "IllegalStateException: server exited with code 2"));

        List<Headline.Row> rows = Headline.rows(r);
        assertThat(rows).extracting(Headline.Row::figure).containsExactly(
                "Decode tok/s, 1 sequence, Q8_0", "Decode tok/s, 8 sequences batched, Q8_0",
                "Prefill tok/s, 512-token prompt, Q8_0", "Multi-turn TTFT p90 (ms), radix cache on",
                "Multi-turn TTFT p90 (ms), radix cache off", "Multi-turn output tok/s, radix cache on",
                "Multi-turn output tok/s, radix cache off", "JSON-schema decoding, output tok/s",
                "JSON-schema throughput kept (constrained / free text)",
                "JSON-schema decode speed kept (free / constrained ITL p50)");
        assertThat(rows.get(1).comparison().ratio()).isEqualTo(1.25);
        assertThat(rows.get(3).comparison().ratio()).as("latency: peer / ours").isEqualTo(2.0);
        assertThat(rows.get(4).comparison()).isNull();
        assertThat(rows.get(4).missing()).isEqualTo("multi-turn/sglang4j-no-cache: IllegalStateException: server exited with code 2");
        Comparison kept = rows.get(8).comparison();
        assertThat(kept.ours()).isEqualTo(0.75);
        assertThat(kept.peer()).isEqualTo(0.5);
        assertThat(kept.ratio()).isEqualTo(1.5);
        Comparison decode = rows.get(9).comparison();
        assertThat(decode.ours()).as("40 ms free, 50 ms constrained").isCloseTo(0.8, within(1e-9));
        assertThat(decode.peer()).isCloseTo(1.0, within(1e-9));

        String table = Headline.table(rows);
        assertThat(table).contains("| Decode tok/s, 8 sequences batched, Q8_0 | 150 | 120 | 1.25× |",
                "| Multi-turn TTFT p90 (ms), radix cache on | 100 ms | 200 ms | 2.00× |",
                "| JSON-schema throughput kept (constrained / free text) | 75% | 50% | 1.50× |",
                "| Multi-turn TTFT p90 (ms), radix cache off | — | — | — | not measured: multi-turn/sglang4j-no-cache");
    }

    @Test
    void javaKernelsOnlyFiguresFollowTheirQuantizationsRowsAndSayHowTheyWereMeasured() {
        OneBatchReport q4 = new OneBatchReport("cmd", "d", "m", "Q4_0", 1 << 20, 2, "f16", 0.1, 0, List.of(), null,
                List.of(c("prefill tok/s, prompt 512", 500, 250, true), c("decode tok/s, batch 1", 80, 70, true),
                        c("decode tok/s, batch 8", 300, 200, true)), "k");
        OneBatchReport java = new OneBatchReport("cmd", "d", "m", "Q4_0", 1 << 20, 2, "f16", 0.1, 0, List.of(), null,
                List.of(c("prefill tok/s, prompt 512", 240, 250, true), c("decode tok/s, batch 1", 75, 70, true),
                        c("decode tok/s, batch 8", 140, 200, true)), "k");
        SuiteResults r = new SuiteResults(null, Map.of("q4_0", q4), Map.of("q4_0", java), null, null, null, Map.of(),
                Map.of());
        List<Headline.Row> rows = Headline.rows(r);
        assertThat(rows.subList(0, 6)).extracting(Headline.Row::figure).containsExactly(
                "Decode tok/s, 1 sequence, Q4_0", "Decode tok/s, 8 sequences batched, Q4_0",
                "Prefill tok/s, 512-token prompt, Q4_0", "Decode tok/s, 1 sequence, Q4_0, Java kernels only",
                "Decode tok/s, 8 sequences batched, Q4_0, Java kernels only",
                "Prefill tok/s, 512-token prompt, Q4_0, Java kernels only");
        assertThat(rows.get(4).comparison().ratio()).isEqualTo(0.7);
        assertThat(Headline.table(rows)).contains("| Decode tok/s, 8 sequences batched, Q4_0, Java kernels only | 140 | "
                + "200 | 0.70× | ours with -Dsglang4j.native=false vs peer |");
    }

    @Test
    void nothingMeasuredStillListsTheRequiredRows() {
        SuiteResults r = new SuiteResults(null, Map.of(), Map.of(), null, null, null, Map.of(), Map.of("one-batch", "boom"));
        List<Headline.Row> rows = Headline.rows(r);
        assertThat(rows).hasSize(10).allMatch(x -> x.comparison() == null);
        assertThat(rows.getFirst().missing()).isEqualTo("one-batch: boom");
        assertThat(rows.get(3).missing()).isEqualTo("not run");
    }
}
