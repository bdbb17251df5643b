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
        int code = BenchMain.run("one-batch", "--tiny", "--cache-dir", TinyModel.cacheDir().toString(), "--batch-size",
                "1,3", "--input-len", "8", "--output-len", "4", "--repeat", "1", "--threads", "2", "--output-file",
                out.toString());
        assertThat(code).isZero();
        OneBatchReport r = BenchJson.read(out, OneBatchReport.class);
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
