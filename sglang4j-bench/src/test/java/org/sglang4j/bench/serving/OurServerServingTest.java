package org.sglang4j.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchMain;
import org.sglang4j.bench.TinyModel;
import org.sglang4j.bench.peer.ServerProcess;

/**
 * Smoke test of {@code bench serving} against our own server, started as {@code --launch sglang4j} starts it:
 * the multi-turn workload over the native {@code /generate} and the OpenAI API with the radix cache on, then
 * launched with {@code --disable-radix-cache}. Skipped (not passed) where the server cannot run yet: it then exits
 * at start-up saying the engine is not built.
 */
class OurServerServingTest {
    private static final String[] WORKLOAD = {"--dataset", "multi-turn", "--num-prompts", "2", "--multi-turn-turns", "3",
            "--multi-turn-output-len", "4", "--random-range-ratio", "1", "--max-concurrency", "2"};

    @TempDir
    Path dir;

    @Test
    void multiTurnOverBothApisWithTheRadixCacheOnAndOff() throws Exception {
        int port = ServerProcess.freePort();
        List<String> cmd = LaunchTarget.SGLANG4J.command(TinyModel.file("q8_0"), port, 2, 2, 2048, "f16",
                TinyModel.llamaCpp(), List.of());
        try (ServerProcess server = start(cmd, port)) {
            for (String backend : List.of("sglang4j", "openai")) {
                Path out = dir.resolve(backend + ".json");
                assertThat(BenchMain.run(args(new String[] {"serving", "--base-url", server.baseUrl(), "--backend", backend,
                        "--tokenizer", TinyModel.file("q8_0").toString(), "--output-file", out.toString()}))).isZero();
                ServingReport.Run run = BenchJson.read(out, ServingReport.class).run("endpoint");
                assertThat(run.metrics().completed()).as(backend).isEqualTo(6);
                assertThat(run.metrics().totalOutputTokens()).as(backend).isEqualTo(24);
                // the policy prompt is shared by both conversations and every turn resends the history
                assertThat(run.metrics().cacheHitRate()).as(backend).isGreaterThan(0.5);
            }
        }
        Path out = dir.resolve("no-cache.json");
        assertThat(BenchMain.run(args(new String[] {"serving", "--tiny", "--cache-dir", TinyModel.cacheDir().toString(),
                "--launch", "sglang4j-no-cache", "--parallel", "2", "--context-per-request", "2048", "--output-file",
                out.toString()}))).isZero();
        ServingReport.Run off = BenchJson.read(out, ServingReport.class).run("sglang4j-no-cache");
        assertThat(off.serverCommand()).contains("--disable-radix-cache", "--threads 2", "--max-running-requests 2");
        assertThat(off.metrics().completed()).isEqualTo(6);
        assertThat(off.metrics().cacheHitRate()).isZero();
        // The launched server's own memory report: a pool of parallel × context tokens of which the slots used so
        // far are resident, inside a resident set (read from /proc) that holds them, the weights and a JVM.
        ServingReport.ServerMemory mem = off.memory();
        assertThat(mem).isNotNull();
        assertThat(mem.kvPoolMiB()).isPositive();
        assertThat(mem.weightsMiB()).isPositive();
        assertThat(mem.kvResidentMiB()).isPositive().isLessThanOrEqualTo(mem.kvPoolMiB());
        assertThat(mem.residentMiB()).isGreaterThan(mem.kvResidentMiB() + 20);
        assertThat(mem.overheadMiB()).isEqualTo(mem.residentMiB() - mem.weightsMiB() - mem.kvResidentMiB());
    }

    private static ServerProcess start(List<String> cmd, int port) throws Exception {
        try {
            return ServerProcess.start(cmd, "http://127.0.0.1:" + port, Duration.ofMinutes(3));
        } catch (IllegalStateException e) {
            if (e.getMessage().contains("not built yet")) Assumptions.abort("engine runtime not on this branch yet");
            throw e;
        }
    }

    private static String[] args(String[] first) {
        String[] r = java.util.Arrays.copyOf(first, first.length + WORKLOAD.length);
        System.arraycopy(WORKLOAD, 0, r, first.length, WORKLOAD.length);
        return r;
    }
}
