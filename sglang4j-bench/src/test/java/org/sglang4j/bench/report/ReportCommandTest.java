package org.sglang4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.bench.BenchMain;
import org.sglang4j.bench.TinyModel;

/**
 * Smoke test of {@code bench report} on the tiny model (llama.cpp targets only, so it does not depend on which
 * of our servers exists): the suite runs, BENCHMARKS.md lists every required figure, the plots are real PNGs,
 * the README table is written, and {@code --from-results} redraws the same report from the saved JSON.
 */
class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsTheSuiteAndWritesMarkdownPlotsAndReadmeTable() throws Exception {
        Path results = dir.resolve("results");
        Path md = dir.resolve("BENCHMARKS.md");
        Path plots = dir.resolve("docs/bench");
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# project\n");
        String[] common = {"--tiny", "--cache-dir", TinyModel.cacheDir().toString(), "--results-dir", results.toString(),
                "--output", md.toString(), "--plots-dir", plots.toString(), "--readme", readme.toString()};
        int code = BenchMain.run(concat(new String[] {"report", "--parts", "one-batch,multi-turn,concurrency", "--targets",
                "llama.cpp,llama.cpp-no-cache", "--threads", "2"}, common));
        assertThat(code).isZero();
        assertThat(results.resolve("environment.json")).exists();
        assertThat(results.resolve("one-batch-q8_0.json")).exists();
        assertThat(results.resolve("multi-turn.json")).exists();
        assertThat(results.resolve("concurrency-1.json")).exists();
        assertThat(results.resolve("concurrency-2.json")).exists();

        String text = Files.readString(md);
        assertThat(text).contains("# sglang4j benchmarks", "## Summary", "### Decode ceiling", "## One batch",
                "## Multi-turn customer service", "## Latency and throughput vs concurrency",
                "Peer: llama.cpp", "2 threads");
        assertThat(text).containsPattern("\\| Decode tok/s, 1 sequence, Q8_0 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+× \\|");
        assertThat(text).containsPattern("\\| Prefill tok/s, 32-token prompt, Q8_0 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+× \\|");
        assertThat(text).contains("| Multi-turn TTFT p90 (ms), radix cache on | — | — | — | not measured: not run |",
                "| JSON-schema decoding, output tok/s | — | — | — | not measured: not run |");
        assertThat(text).contains("| llama.cpp-no-cache | openai | 4 / 0 |");
        assertThat(text).contains("](docs/bench/decode-vs-batch-q8_0.png)", "](docs/bench/multi-turn-ttft-by-turn.png)",
                "](docs/bench/ttft-vs-concurrency.png)");
        for (String png : new String[] {"decode-vs-batch-q8_0.png", "multi-turn-ttft-by-turn.png", "ttft-vs-concurrency.png",
                "throughput-vs-concurrency.png"}) {
            BufferedImage img = ImageIO.read(plots.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isEqualTo(760);
            assertThat(Files.size(plots.resolve(png))).isLessThan(200_000);
        }
        String readmeText = Files.readString(readme);
        assertThat(readmeText).startsWith("# project\n\n## Benchmarks\n\n" + ReadmeTable.START)
                .contains("| Decode tok/s, 1 sequence, Q8_0 |", "[BENCHMARKS.md](BENCHMARKS.md)").endsWith(ReadmeTable.END + "\n");

        Files.delete(md);
        assertThat(BenchMain.run(concat(new String[] {"report", "--from-results"}, common))).isZero();
        assertThat(Files.readString(md)).isEqualTo(text);

        // Sections measured by other commands (after the marker) survive a rewrite; what stood before it does not.
        String kept = BenchmarksMarkdown.KEPT_MARKER + "\n\n## Server overhead\n\n| path | req/s |\n";
        Files.writeString(md, "# old suite output\n\n" + kept);
        assertThat(BenchMain.run(concat(new String[] {"report", "--from-results"}, common))).isZero();
        assertThat(Files.readString(md)).isEqualTo(text + "\n" + kept).doesNotContain("old suite output");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
