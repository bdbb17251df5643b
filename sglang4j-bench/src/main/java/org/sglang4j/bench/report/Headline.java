package org.sglang4j.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.onebatch.OneBatchReport;
import org.sglang4j.bench.serving.ServingReport;

/**
 * The summary table of BENCHMARKS.md and the README: the figures issue 8 requires, each as a ratio against
 * llama.cpp measured in the same run — decode single and batched, prefill, multi-turn TTFT p90 and throughput
 * with the prefix cache on and off, and the cost of JSON-schema constrained decoding — and, where the optional
 * native kernels ran, the one-batch figures again with the Java kernels only. A figure that was not measured keeps
 * its row and says why.
 */
public final class Headline {

    /** One row; {@code comparison} is null when the figure is missing, then {@code missing} says why. */
    public record Row(String figure, Comparison comparison, String missing) {}

    private Headline() {}

    public static List<Row> rows(SuiteResults r) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, OneBatchReport> e : r.oneBatch().entrySet()) {
            String q = e.getKey().toUpperCase(Locale.ROOT);
            oneBatchRows(rows, e.getValue().comparisons(), q, "", r);
            OneBatchReport java = r.javaKernels().get(e.getKey());
            if (java != null) {
                List<Comparison> cs = java.comparisons().stream().map(c -> new Comparison(c.metric(), c.unit(),
                        c.ours(), c.peer(), c.higherIsBetter(), c.oursSetup() + " with " + JavaKernelsRun.FLAG,
                        c.peerSetup())).toList();
                oneBatchRows(rows, cs, q, ", Java kernels only", r);
            }
        }
        if (r.oneBatch().isEmpty()) {
            for (String f : List.of("Decode tok/s, 1 sequence", "Decode tok/s, 8 sequences batched", "Prefill tok/s, 512-token prompt")) {
                rows.add(new Row(f, null, why(r, "one-batch")));
            }
        }
        List<Comparison> mt = r.multiTurn() == null ? List.of() : r.multiTurn().comparisons();
        rows.add(row("Multi-turn TTFT p90 (ms), radix cache on", find(mt, "TTFT p90"), r, "multi-turn"));
        rows.add(row("Multi-turn TTFT p90 (ms), radix cache off", find(mt, "TTFT p90, prefix cache off"), r, "multi-turn"));
        rows.add(row("Multi-turn output tok/s, radix cache on", find(mt, "output tok/s"), r, "multi-turn"));
        rows.add(row("Multi-turn output tok/s, radix cache off", find(mt, "output tok/s, prefix cache off"), r, "multi-turn"));
        List<Comparison> cj = r.constrainedJson() == null ? List.of() : r.constrainedJson().comparisons();
        rows.add(row("JSON-schema decoding, output tok/s", find(cj, "output tok/s"), r, "constrained"));
        rows.add(row("JSON-schema throughput kept (constrained / free text)", kept(r), r, "constrained"));
        rows.add(row("JSON-schema decode speed kept (free / constrained ITL p50)", decodeKept(r), r, "constrained"));
        return rows;
    }

    /** Decode of one and of about eight sequences, and prefill, for quantization {@code q}. */
    private static void oneBatchRows(List<Row> rows, List<Comparison> cs, String q, String suffix, SuiteResults r) {
        rows.add(row("Decode tok/s, 1 sequence, " + q + suffix, find(cs, "decode tok/s, batch 1"), r, "one-batch"));
        Comparison batched = cs.stream().filter(c -> c.metric().startsWith("decode tok/s, batch ")
                && !c.metric().equals("decode tok/s, batch 1"))
                .min((a, b) -> Integer.compare(Math.abs(batch(a) - 8), Math.abs(batch(b) - 8))).orElse(null);
        rows.add(row("Decode tok/s, " + (batched == null ? "8" : batch(batched)) + " sequences batched, " + q + suffix,
                batched, r, "one-batch"));
        Comparison prefill = cs.stream().filter(c -> c.metric().startsWith("prefill tok/s")).findFirst().orElse(null);
        rows.add(row("Prefill tok/s, " + (prefill == null ? "512" : prefill.metric().replaceAll("\\D+", ""))
                + "-token prompt, " + q + suffix, prefill, r, "one-batch"));
    }

    /**
     * Decode speed with the schema relative to without, per engine: median inter-token latency of the free-text
     * run over that of the constrained run. Output tok/s mixes in prefill time (constrained answers are shorter,
     * so prefill weighs more in them); the inter-token latency is what the mask costs each decoded token.
     */
    static Comparison decodeKept(SuiteResults r) {
        if (r.constrainedFree() == null || r.constrainedJson() == null) return null;
        double ours = itlRatio(r.constrainedFree(), r.constrainedJson(), "sglang4j");
        double peer = itlRatio(r.constrainedFree(), r.constrainedJson(), "llama.cpp");
        if (Double.isNaN(ours) || Double.isNaN(peer)) return null;
        return new Comparison("JSON-schema decode speed kept", "fraction", ours, peer, true,
                "ITL p50 without --json-schema ticket / with", "same for llama-server");
    }

    private static double itlRatio(ServingReport free, ServingReport json, String label) {
        var a = free.runs().stream().filter(x -> x.label().equals(label)).findFirst();
        var b = json.runs().stream().filter(x -> x.label().equals(label)).findFirst();
        if (a.isEmpty() || b.isEmpty()) return Double.NaN;
        return a.get().metrics().itl().median() / b.get().metrics().itl().median();
    }

    /** Output tok/s with the schema divided by output tok/s without, for each engine. */
    static Comparison kept(SuiteResults r) {
        if (r.constrainedFree() == null || r.constrainedJson() == null) return null;
        double ours = ratio(r.constrainedJson(), r.constrainedFree(), "sglang4j");
        double peer = ratio(r.constrainedJson(), r.constrainedFree(), "llama.cpp");
        if (Double.isNaN(ours) || Double.isNaN(peer)) return null;
        return new Comparison("JSON-schema throughput kept", "fraction", ours, peer, true,
                "output tok/s with --json-schema ticket / without", "same for llama-server (json_schema → GBNF)");
    }

    private static double ratio(ServingReport json, ServingReport free, String label) {
        var a = json.runs().stream().filter(x -> x.label().equals(label)).findFirst();
        var b = free.runs().stream().filter(x -> x.label().equals(label)).findFirst();
        if (a.isEmpty() || b.isEmpty()) return Double.NaN;
        return a.get().metrics().outputThroughput() / b.get().metrics().outputThroughput();
    }

    private static int batch(Comparison c) {
        return Integer.parseInt(c.metric().substring("decode tok/s, batch ".length()));
    }

    private static Comparison find(List<Comparison> cs, String metric) {
        return cs.stream().filter(c -> c.metric().equals(metric)).findFirst().orElse(null);
    }

    private static Row row(String figure, Comparison c, SuiteResults r, String part) {
        return new Row(figure, c, c == null ? why(r, part) : null);
    }

    /** The recorded reasons for a part's missing figures, or "not run". */
    static String why(SuiteResults r, String part) {
        List<String> reasons = r.failures().entrySet().stream().filter(e -> e.getKey().split("/")[0].equals(part))
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
        return reasons.isEmpty() ? "not run" : String.join("; ", reasons);
    }

    /** Markdown table of the rows. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Figure | sglang4j | llama.cpp | sglang4j vs llama.cpp | Measured as |\n");
        sb.append("|---|---:|---:|---:|---|\n");
        for (Row row : rows) {
            Comparison c = row.comparison();
            if (c == null) {
                sb.append("| ").append(row.figure()).append(" | — | — | — | not measured: ")
                        .append(Markdown.escape(abbreviate(row.missing()))).append(" |\n");
                continue;
            }
            sb.append("| ").append(row.figure()).append(" | ").append(Markdown.number(c.ours(), c.unit()))
                    .append(" | ").append(Markdown.number(c.peer(), c.unit())).append(" | ")
                    .append(Markdown.ratio(c.ratio())).append(" | ").append(Markdown.escape(c.oursSetup()))
                    .append(" vs ").append(Markdown.escape(c.peerSetup())).append(" |\n");
        }
        return sb.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }
}
