package org.sglang4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchMain;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.TinyModel;
import org.sglang4j.bench.onebatch.OneBatchReport;
import org.sglang4j.bench.onebatch.OneBatchResult;
import org.sglang4j.core.tensor.VnniKernels;

/**
 * The report's Java-kernels-only run: a child JVM with the native kernels off runs every case, its report says
 * which kernels ran, and its figures are compared with the main run's llama-bench figures.
 */
class JavaKernelsRunTest {
    @TempDir
    Path dir;

    @Test
    void runsTheCasesInAJvmWithoutNativeKernelsAndComparesWithTheMainRunsPeer() throws Exception {
        Path model = TinyModel.file("q4_0");
        Path mainOut = dir.resolve("main.json");
        int code = BenchMain.run("one-batch", "--model-path", model.toString(), "--batch-size", "1,2", "--input-len", "1",
                "--output-len", "3", "--repeat", "1", "--threads", "2", "--output-file", mainOut.toString());
        assertThat(code).isZero();
        OneBatchReport main = BenchJson.read(mainOut, OneBatchReport.class);
        assertThat(main.kernels()).isEqualTo(VnniKernels.describe());

        OneBatchReport java = JavaKernelsRun.run(model, List.of("--threads", "2", "--repeat", "1"),
                List.of(List.of("--batch-size", "1", "--input-len", "1", "--output-len", "3"),
                        List.of("--batch-size", "2", "--input-len", "1", "--output-len", "3")), main, "the command");

        assertThat(java.kernels()).isEqualTo("Java Vector API (-Dsglang4j.native=false)");
        assertThat(java.command()).isEqualTo("the command");
        assertThat(java.results()).extracting(OneBatchResult::batchSize, OneBatchResult::inputLen)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(2, 1));
        assertThat(java.peer()).isEqualTo(main.peer());
        Comparison batched = java.comparisons().stream().filter(c -> c.metric().equals("decode tok/s, batch 2"))
                .findFirst().orElseThrow();
        assertThat(batched.ours()).isEqualTo(java.results().get(1).decodeTokPerS());
        assertThat(batched.peer()).isEqualTo(main.peer().find(2, 0).medianTokPerS());
        assertThat(java.comparisons()).extracting(Comparison::metric)
                .containsExactly("decode tok/s, batch 1", "decode tok/s, batch 2");
    }
}
