package org.sglang4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.sglang4j.bench.onebatch.OneBatchReport;
import org.sglang4j.bench.onebatch.OneBatchResult;
import org.sglang4j.bench.peer.LlamaBench;
import org.sglang4j.bench.serving.ServingReport;

/**
 * The PNG plots of BENCHMARKS.md, drawn with XChart (headless): decode throughput vs batch size, TTFT and
 * throughput vs concurrency, TTFT by turn of the multi-turn chat. A plot whose data is missing is not drawn; the
 * returned map says which files exist (file name → alt text).
 */
public final class Plots {
    private Plots() {}

    public static Map<String, String> draw(SuiteResults r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Map<String, String> drawn = new LinkedHashMap<>();
        for (var e : r.oneBatch().entrySet()) {
            String name = "decode-vs-batch-" + e.getKey() + ".png";
            if (decodeVsBatch(e.getValue(), e.getKey(), dir.resolve(name))) {
                drawn.put(name, "decode tokens/s vs batch size, " + e.getKey());
            }
        }
        if (!r.concurrency().isEmpty()) {
            if (vsConcurrency(r.concurrency(), true, dir.resolve("ttft-vs-concurrency.png"))) {
                drawn.put("ttft-vs-concurrency.png", "TTFT p50 and p90 vs max concurrency");
            }
            if (vsConcurrency(r.concurrency(), false, dir.resolve("throughput-vs-concurrency.png"))) {
                drawn.put("throughput-vs-concurrency.png", "output tokens/s vs max concurrency");
            }
        }
        if (r.multiTurn() != null && ttftByTurn(r.multiTurn(), dir.resolve("multi-turn-ttft-by-turn.png"))) {
            drawn.put("multi-turn-ttft-by-turn.png", "multi-turn median TTFT by turn, prefix cache on and off");
        }
        return drawn;
    }

    private static boolean decodeVsBatch(OneBatchReport report, String quant, Path file) throws IOException {
        List<OneBatchResult> decode = report.results().stream().filter(x -> x.outputLen() > 1 && x.inputLen() == 1)
                .sorted((a, b) -> Integer.compare(a.batchSize(), b.batchSize())).toList();
        if (decode.isEmpty()) return false;
        XYChart chart = chart("Decode throughput vs batch size (" + quant.toUpperCase() + ")", "batch size (sequences)",
                "tokens/s");
        series(chart, "sglang4j: B sequences, 1 token each per forward",
                decode.stream().mapToDouble(OneBatchResult::batchSize).toArray(),
                decode.stream().mapToDouble(OneBatchResult::decodeTokPerS).toArray());
        if (report.peer() != null) {
            List<double[]> pts = new ArrayList<>();
            for (OneBatchResult d : decode) {
                LlamaBench.Test t = report.peer().tests().stream()
                        .filter(x -> d.batchSize() == 1 ? x.nPrompt() == 0 && x.nGen() > 0 : x.nPrompt() == d.batchSize() && x.nGen() == 0)
                        .findFirst().orElse(null);
                if (t != null) pts.add(new double[] {d.batchSize(), t.medianTokPerS()});
            }
            series(chart, "llama.cpp: tgN (B = 1), ppB (B tokens per forward)",
                    pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
        }
        return save(chart, file);
    }

    private static boolean vsConcurrency(Map<Integer, ServingReport> levels, boolean ttft, Path file) throws IOException {
        XYChart chart = chart(ttft ? "Time to first token vs concurrency" : "Output throughput vs concurrency",
                "max concurrency (requests in flight)", ttft ? "TTFT (ms)" : "output tokens/s");
        Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
        for (var e : levels.entrySet()) {
            for (ServingReport.Run run : e.getValue().runs()) {
                var m = run.metrics();
                if (ttft) {
                    bySeries.computeIfAbsent(run.label() + " p50", k -> new ArrayList<>()).add(new double[] {e.getKey(), m.ttft().median()});
                    bySeries.computeIfAbsent(run.label() + " p90", k -> new ArrayList<>()).add(new double[] {e.getKey(), m.ttft().p90()});
                } else {
                    bySeries.computeIfAbsent(run.label(), k -> new ArrayList<>()).add(new double[] {e.getKey(), m.outputThroughput()});
                }
            }
        }
        if (bySeries.isEmpty()) return false;
        bySeries.forEach((name, pts) -> series(chart, name, pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray()));
        return save(chart, file);
    }

    private static boolean ttftByTurn(ServingReport report, Path file) throws IOException {
        if (report.runs().isEmpty()) return false;
        XYChart chart = chart("Multi-turn chat: median TTFT by turn", "turn", "TTFT (ms)");
        for (ServingReport.Run run : report.runs()) {
            int turns = run.requests().stream().mapToInt(ServingReport.RequestSummary::turn).max().orElse(-1) + 1;
            double[] x = new double[turns];
            double[] y = new double[turns];
            for (int t = 0; t < turns; t++) {
                int turn = t;
                double[] v = run.requests().stream().filter(q -> q.turn() == turn && q.success())
                        .mapToDouble(q -> 1000 * q.ttftS()).sorted().toArray();
                x[t] = t + 1;
                y[t] = v.length == 0 ? Double.NaN : v[v.length / 2];
            }
            series(chart, run.label(), x, y);
        }
        return save(chart, file);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(760).height(460).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return c;
    }

    /** Adds a series, dropping NaN points (XChart cannot draw them). */
    private static void series(XYChart chart, String name, double[] x, double[] y) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) pts.add(new double[] {x[i], y[i]});
        if (pts.isEmpty()) return;
        chart.addSeries(name, pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** Writes the chart; a chart left without any drawable series is not written. */
    private static boolean save(XYChart chart, Path file) throws IOException {
        if (chart.getSeriesMap().isEmpty()) return false;
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
