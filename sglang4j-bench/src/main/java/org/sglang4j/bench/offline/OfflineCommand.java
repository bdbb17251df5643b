package org.sglang4j.bench.offline;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.ProgressBar;
import org.sglang4j.bench.model.ModelOptions;
import org.sglang4j.bench.workload.Conversation;
import org.sglang4j.bench.workload.Datasets;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.Engine;
import org.sglang4j.engine.EngineConfig;
import org.sglang4j.engine.req.GenerateRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench offline}: in-process engine throughput, like SGLang's bench_offline_throughput — all requests are
 * submitted at once to an {@link Engine} (no HTTP), and the run ends when the last one finishes. Greedy, with
 * {@code ignore_eos} so every request generates exactly its output length.
 */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "Offline throughput of the in-process engine for a batch of requests (no HTTP).")
public final class OfflineCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--dataset", defaultValue = "random", description = "random or sharegpt (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--num-prompts", defaultValue = "100", description = "(default: ${DEFAULT-VALUE})")
    int numPrompts;

    @Option(names = "--random-input-len", defaultValue = "512", description = "(default: ${DEFAULT-VALUE})")
    int randomInputLen;

    @Option(names = "--random-output-len", defaultValue = "128", description = "(default: ${DEFAULT-VALUE})")
    int randomOutputLen;

    @Option(names = "--random-range-ratio", defaultValue = "0.0", description = "(default: ${DEFAULT-VALUE})")
    double randomRangeRatio;

    @Option(names = "--sharegpt-output-len", defaultValue = "0", description = "Fixed output length for sharegpt (0 = sampled)")
    int sharegptOutputLen;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads (default: all cores)")
    int threads;

    @Option(names = "--disable-radix-cache", description = "Turn off the prefix cache")
    boolean disableRadixCache;

    @Option(names = "--max-running-requests", description = "Cap on the running batch (default: derived)")
    Integer maxRunningRequests;

    @Option(names = "--max-total-tokens", description = "KV pool size in tokens (default: derived)")
    Integer maxTotalTokens;

    @Option(names = "--kv-cache-dtype", defaultValue = "auto", description = "auto, f32, f16, bf16 (default: ${DEFAULT-VALUE})")
    String kvCacheDtype;

    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write the results as JSON")
    Path outputFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OfflineReport r = run(BenchJson.commandLine(spec.commandLine().getParseResult().originalArgs()));
        if (outputFile != null) BenchJson.write(outputFile, r);
        return r.failed() == 0 ? 0 : 1;
    }

    OfflineReport run(String commandLine) throws Exception {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Path file = model.resolve(t);
        EngineConfig config = new EngineConfig(file.toString(), null, null, maxTotalTokens, 0.5, 2048, 16384,
                maxRunningRequests, "fcfs", disableRadixCache, t, kvCacheDtype, null, null, 1, seed);
        try (Engine engine = Engine.start(config)) {
            Tokenizer tok = engine.tokenizer();
            List<Conversation> convs = switch (dataset.toLowerCase(Locale.ROOT)) {
                case "random" -> Datasets.random(tok, numPrompts, randomInputLen, randomOutputLen, randomRangeRatio, seed);
                case "sharegpt" -> Datasets.shareGptLike(tok, numPrompts, sharegptOutputLen, seed);
                default -> throw new IllegalArgumentException("unknown --dataset " + dataset + " (use random or sharegpt)");
            };
            int n = convs.size();
            CountDownLatch done = new CountDownLatch(n);
            AtomicLong inTokens = new AtomicLong();
            AtomicLong outTokens = new AtomicLong();
            AtomicLong cached = new AtomicLong();
            AtomicLong ttftNanos = new AtomicLong();
            AtomicInteger failed = new AtomicInteger();
            long t0;
            try (ProgressBar progress = new ProgressBar("offline", n)) {
                t0 = System.nanoTime();
                for (Conversation c : convs) {
                    var turn = c.turns().getFirst();
                    int[] ids = tok.encode(turn.text(), false, true);
                    SamplingParams sp = SamplingParams.builder().maxNewTokens(turn.outputLen()).temperature(0f)
                            .ignoreEos(true).build();
                    boolean[] first = {true};
                    engine.submit(GenerateRequest.of("bench-" + c.id(), ids, sp), out -> {
                        if (first[0] && out.newTokenIds().length > 0) {
                            first[0] = false;
                            ttftNanos.addAndGet(System.nanoTime() - t0);
                        }
                        if (out.finished()) {
                            if (out.finishReason() instanceof org.sglang4j.engine.req.FinishReason.Abort) failed.incrementAndGet();
                            inTokens.addAndGet(out.promptTokens());
                            outTokens.addAndGet(out.completionTokens());
                            cached.addAndGet(out.cachedTokens());
                            progress.step(1);
                            done.countDown();
                        }
                    });
                }
                if (!done.await(7, TimeUnit.DAYS)) throw new IllegalStateException("offline run did not finish");
            }
            double d = (System.nanoTime() - t0) / 1e9;
            long in = inTokens.get();
            long out = outTokens.get();
            OfflineReport r = new OfflineReport(commandLine, ZonedDateTime.now().toString(), file.getFileName().toString(),
                    dataset, t, disableRadixCache, n, failed.get(), d, in, out, n / d, in / d, out / d, (in + out) / d,
                    in > 0 ? (double) cached.get() / in : Double.NaN, ttftNanos.get() / 1e9 / n);
            System.out.printf(Locale.ROOT, """
                    ====== Offline Throughput Benchmark Result ======
                    Successful requests:                     %d
                    Failed requests:                         %d
                    Benchmark duration (s):                  %.2f
                    Total input tokens:                      %d
                    Total generated tokens:                  %d
                    Request throughput (req/s):              %.2f
                    Input token throughput (tok/s):          %.2f
                    Output token throughput (tok/s):         %.2f
                    Total token throughput (tok/s):          %.2f
                    Cache hit rate:                          %.1f%%
                    Mean TTFT incl. queueing (ms):           %.1f
                    =================================================
                    """, n - r.failed(), r.failed(), d, in, out, r.requestThroughput(), r.inputThroughput(),
                    r.outputThroughput(), r.totalThroughput(), 100 * r.cacheHitRate(), 1000 * r.meanTtftS());
            return r;
        }
    }
}
