package org.sglang4j.bench.multiturn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchPaths;
import org.sglang4j.core.demo.DemoModel;
import org.sglang4j.engine.EngineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench multi-turn}: issue 5's customer-service workload — a shared system prompt, N concurrent
 * conversations of T turns, short user turns and fixed-length greedy replies — run against our engine with the
 * radix cache on and off, and optionally against llama.cpp's server on the same GGUF with the same threads. Prints
 * cache hit rate, TTFT p50/p90 and output throughput per target and the ratios the issue asks for.
 */
@Command(name = "multi-turn", mixinStandardHelpOptions = true,
        description = "Multi-turn customer-service workload: radix cache on vs off (and vs llama.cpp's server).")
public final class MultiTurnCommand implements Callable<Integer> {

    @Option(names = "--model-path", description = "GGUF model (default: the built-in demo model)")
    Path modelPath;

    @Option(names = "--threads", defaultValue = "2", description = "compute threads (both engines)")
    int threads;

    @Option(names = "--conversations", defaultValue = "8")
    int conversations;

    @Option(names = "--turns", defaultValue = "10")
    int turns;

    @Option(names = "--system-tokens", defaultValue = "350")
    int systemTokens;

    @Option(names = "--user-tokens", defaultValue = "25")
    int userTokens;

    @Option(names = "--output-tokens", defaultValue = "32")
    int outputTokens;

    @Option(names = "--max-total-tokens", defaultValue = "16384", description = "our KV pool size in tokens")
    int maxTotalTokens;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--peer", description = "also run llama.cpp's llama-server (--parallel = conversations)")
    boolean peer;

    @Option(names = "--no-baseline", description = "skip the radix-cache-off run")
    boolean noBaseline;

    @Option(names = "--json", description = "write the figures to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        Path model = modelPath != null ? modelPath : DemoModel.file();
        EngineConfig base = EngineConfig.defaults(model.toString()).withThreads(threads)
                .withMaxTotalTokens(maxTotalTokens).withWarmups(1);
        Conversations conv;
        List<MultiTurnReport> reports = new ArrayList<>();
        try (EngineTarget on = new EngineTarget("sglang4j, radix cache on", base)) {
            conv = Conversations.generate(on.engine().tokenizer(), conversations, turns, systemTokens, userTokens, seed);
            reports.add(MultiTurnReport.of(MultiTurnRunner.run(on, conv, outputTokens)));
        }
        if (!noBaseline) {
            try (EngineTarget off = new EngineTarget("sglang4j, radix cache off", base.withDisableRadixCache(true))) {
                reports.add(MultiTurnReport.of(MultiTurnRunner.run(off, conv, outputTokens)));
            }
        }
        if (peer) {
            int longest = systemTokens + turns * (userTokens + userTokens / 5 + outputTokens) + 64;
            try (LlamaServerTarget llama = new LlamaServerTarget(BenchPaths.llamaCpp(), model, threads, conversations,
                    longest)) {
                reports.add(MultiTurnReport.of(MultiTurnRunner.run(llama, conv, outputTokens)));
            } catch (Exception e) {
                System.out.println("llama.cpp peer failed: " + e);
            }
        }
        System.out.printf(Locale.ROOT, "multi-turn: %s, %d threads, %d conversations x %d turns, system %d tokens, "
                        + "user ~%d tokens, replies %d tokens%n", model.getFileName(), threads, conversations, turns,
                systemTokens, userTokens, outputTokens);
        System.out.println(MultiTurnReport.header());
        for (MultiTurnReport r : reports) System.out.println(r.row());
        MultiTurnReport cacheOn = reports.getFirst();
        for (MultiTurnReport r : reports.subList(1, reports.size())) {
            System.out.printf(Locale.ROOT, "cache on vs %s: TTFT p90 %.2fx, output throughput %.2fx%n", r.target(),
                    cacheOn.ttftP90() / r.ttftP90(), cacheOn.outputTokensPerSecond() / r.outputTokensPerSecond());
        }
        if (json != null) BenchJson.write(json, reports);
        return 0;
    }
}
