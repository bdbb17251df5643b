package org.sglang4j.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchPaths;
import org.sglang4j.bench.model.ModelOptions;
import org.sglang4j.bench.serving.LaunchTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench report}: runs the benchmark suite (or reads its saved JSON with {@code --from-results}) and
 * regenerates BENCHMARKS.md, its PNG plots and the README's benchmark table. Exit code 1 when some figure could
 * not be measured (the files are still written, saying what is missing and why).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Run the benchmark suite against llama.cpp and regenerate BENCHMARKS.md, docs/bench/*.png and "
                + "the README's benchmark table.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--size", description = "full, quick or tiny (default: full; tiny with --tiny)")
    String size;

    @Option(names = "--parts", split = ",", description = "Parts to run: one-batch, multi-turn, constrained, "
            + "concurrency (default: all)")
    List<String> parts = BenchSuite.PARTS;

    @Option(names = "--targets", split = ",", description = "Servers the serving parts launch (default: sglang4j, "
            + "sglang4j-no-cache, llama.cpp, llama.cpp-no-cache)")
    List<String> targets = List.of("sglang4j", "sglang4j-no-cache", "llama.cpp", "llama.cpp-no-cache");

    @Option(names = "--threads", defaultValue = "0", description = "Threads for both engines (default: all cores)")
    int threads;

    @Option(names = "--from-results", description = "Do not run anything: redraw from the JSON in --results-dir")
    boolean fromResults;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Suite JSON (default: <repo>/target/bench-results)")
    Path resultsDir;

    @Option(names = "--output", paramLabel = "FILE", description = "Markdown report (default: <repo>/BENCHMARKS.md)")
    Path output;

    @Option(names = "--plots-dir", paramLabel = "DIR", description = "PNG plots (default: <repo>/docs/bench)")
    Path plotsDir;

    @Option(names = "--readme", paramLabel = "FILE", description = "README whose benchmark table is updated (default: <repo>/README.md)")
    Path readme;

    @Option(names = "--no-readme", description = "Leave the README alone")
    boolean noReadme;

    @Option(names = "--server-java-opts", split = " ", description = "Extra JVM options for the launched sglang4j server")
    List<String> serverJavaOpts = List.of();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path root = BenchPaths.repoRoot();
        Path results = resultsDir != null ? resultsDir : root.resolve("target").resolve("bench-results");
        Path md = output != null ? output : root.resolve("BENCHMARKS.md");
        Path plots = plotsDir != null ? plotsDir : root.resolve("docs").resolve("bench");
        if (!fromResults) {
            int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            SuiteConfig cfg = SuiteConfig.of(size != null ? size : model.tiny() ? "tiny" : "full");
            new BenchSuite(cfg, model, t, results, parts, targets.stream().map(LaunchTarget::of).toList(),
                    serverJavaOpts, BenchJson.commandLine(spec.commandLine().getParseResult().originalArgs())).run();
        }
        SuiteResults r = SuiteResults.read(results);
        Map<String, String> drawn = Plots.draw(r, plots);
        Path mdDir = md.toAbsolutePath().getParent();
        String link = mdDir.relativize(plots.toAbsolutePath()).toString().replace('\\', '/');
        Files.createDirectories(mdDir);
        String kept = Files.isRegularFile(md) ? BenchmarksMarkdown.keptSections(Files.readString(md)) : "";
        Files.writeString(md, BenchmarksMarkdown.render(r, link.isEmpty() ? "." : link, drawn) + kept);
        System.out.println("wrote " + md + " and " + drawn.size() + " plots in " + plots);
        if (!noReadme) {
            Path rd = readme != null ? readme : root.resolve("README.md");
            ReadmeTable.update(rd, readmeBlock(r, md.getFileName().toString()));
            System.out.println("updated the benchmark table in " + rd);
        }
        if (!r.failures().isEmpty()) {
            System.err.println("not measured: " + String.join(", ", r.failures().keySet()) + " (see " + md + ")");
            return 1;
        }
        return 0;
    }

    static String readmeBlock(SuiteResults r, String mdName) {
        SuiteEnvironment env = r.environment();
        String where = env == null ? "" : String.format(Locale.ROOT, "Measured %s on %s with %d threads, against "
                + "llama.cpp in the same run. ", env.date().substring(0, Math.min(10, env.date().length())),
                env.machine().cpuModel(), env.threads());
        return Headline.table(Headline.rows(r)) + "\n" + where + "Ratios above 1 mean sglang4j is better. Details, "
                + "commands and plots: [" + mdName + "](" + mdName + ").\n";
    }
}
