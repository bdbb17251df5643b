package org.sglang4j.bench.onebatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchMain;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.TinyModel;

/** Smoke test: {@code bench one-batch} on the tiny model runs both engines and writes well-formed JSON. */
class OneBatchCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsEveryCaseAndPairsThemWithLlamaBench() {
        Path out = dir.resolve("one-batch.json");
        OneBatchReport r = runTiny(out, "1,3", "8", "4", "1");
        assertThat(r.command()).isEqualTo("bin/sglang4j bench one-batch --tiny --cache-dir " + TinyModel.cacheDir()
                + " --batch-size 1,3 --input-len 8 --output-len 4 --repeat 1 --threads 2 --output-file " + out);
        assertThat(r.quantization()).isEqualTo("Q8_0");
        assertThat(r.threads()).isEqualTo(2);
        assertThat(r.results()).extracting(OneBatchResult::batchSize).containsExactly(1, 3);
        for (OneBatchResult x : r.results()) {
            assertThat(x.inputLen()).isEqualTo(8);
            assertThat(x.prefillTokPerS()).isCloseTo(x.batchSize() * 8 / x.prefillLatencyS(), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(x.decodeTokPerS()).isCloseTo(x.batchSize() / x.decodeMedianLatencyS(), org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(r.peer().tests()).extracting(t -> t.label()).containsExactlyInAnyOrder("pp8", "pp3", "tg4");
        assertThat(r.comparisons()).extracting(Comparison::metric)
                .containsExactly("prefill tok/s, prompt 8", "decode tok/s, batch 1", "decode tok/s, batch 3");
        Comparison batched = r.comparisons().get(2);
        assertThat(batched.peerSetup()).isEqualTo("llama-bench pp3 (3 tokens per forward)");
        assertThat(batched.ours()).isEqualTo(r.results().get(1).decodeTokPerS());
        assertThat(batched.peer()).isEqualTo(r.peer().find(3, 0).medianTokPerS());
        assertThat(batched.ratio()).isEqualTo(batched.ours() / batched.peer());
    }

    /** Repetitions alternate with llama-bench: two rounds give two samples per llama-bench test and per case. */
    @Test
    void repetitionsAlternateBetweenTheEngines() {
        OneBatchReport r = runTiny(dir.resolve("rounds.json"), "2", "4", "3", "2");
        assertThat(r.peer().command()).startsWith("2 rounds of llama-bench ").contains(" -r 1 ");
        assertThat(r.peer().tests()).extracting(t -> t.label()).containsExactly("pp2");
        assertThat(r.peer().tests().getFirst().samplesTokPerS()).hasSize(2);
        OneBatchResult x = r.results().getFirst();
        assertThat(x.repetitions()).isEqualTo(2);
        assertThat(x.decodeTokPerS()).isCloseTo(2 / x.decodeMedianLatencyS(), org.assertj.core.api.Assertions.within(1e-6));
    }

    /** The median of three rounds is the middle round's latency, and throughputs follow from it. */
    @Test
    void roundsCombineIntoMedianLatencies() {
        OneBatchResult a = new OneBatchResult(4, 8, 2, 1, 0.5, 64, 0.1, 40, 1.0, 40);
        OneBatchResult b = new OneBatchResult(4, 8, 2, 1, 0.2, 160, 0.3, 13.3, 2.0, 20);
        OneBatchResult c = new OneBatchResult(4, 8, 2, 1, 0.4, 80, 0.2, 20, 3.0, 13.3);
        OneBatchResult m = OneBatchResult.medianOf(java.util.List.of(a, b, c));
        assertThat(m.repetitions()).isEqualTo(3);
        assertThat(m.prefillLatencyS()).isEqualTo(0.4);
        assertThat(m.prefillTokPerS()).isEqualTo(4 * 8 / 0.4);
        assertThat(m.decodeMedianLatencyS()).isEqualTo(0.2);
        assertThat(m.decodeTokPerS()).isEqualTo(4 / 0.2);
        assertThat(m.totalLatencyS()).isEqualTo(2.0);
        assertThat(m.totalTokPerS()).isEqualTo(4.0 * 10 / 2.0);
    }

    /** {@code bench one-batch} on the tiny model with llama-bench, two threads, the report read back. */
    private static OneBatchReport runTiny(Path out, String batchSizes, String inputLen, String outputLen, String repeat) {
        int code = BenchMain.run("one-batch", "--tiny", "--cache-dir", TinyModel.cacheDir().toString(), "--batch-size",
                batchSizes, "--input-len", inputLen, "--output-len", outputLen, "--repeat", repeat, "--threads", "2",
                "--output-file", out.toString());
        assertThat(code).isZero();
        return BenchJson.read(out, OneBatchReport.class);
    }

    @Test
    void withoutPeerOnlyOurFiguresAreReported() {
        Path out = dir.resolve("ours.json");
        int code = BenchMain.run("one-batch", "--model-path", TinyModel.file("q4_0").toString(), "--input-len", "4",
                "--output-len", "2", "--repeat", "1", "--kv-cache-dtype", "bf16", "--no-peer", "--output-file", out.toString());
        assertThat(code).isZero();
        OneBatchReport r = BenchJson.read(out, OneBatchReport.class);
        assertThat(r.peer()).isNull();
        assertThat(r.comparisons()).isEmpty();
        assertThat(r.kvCacheDtype()).isEqualTo("bf16");
        assertThat(r.results()).hasSize(1);
    }
}
