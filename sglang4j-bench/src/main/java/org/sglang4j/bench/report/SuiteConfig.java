package org.sglang4j.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * The sizes of the report's benchmark suite. {@code full} is what BENCHMARKS.md is made from (about an hour on
 * 2 cores), {@code quick} a shorter look, {@code tiny} a smoke test of the machinery on the tiny model.
 *
 * @param decodeBatches   batch sizes of the one-batch decode cases (input length 1, as llama-bench tg/pp)
 * @param sweepLevels     max-concurrency levels of the TTFT-vs-concurrency sweep
 * @param sweepPerLevel   requests per sweep level = this × level
 *
 * <p>The full multi-turn part is issue 5's customer-service shape: 8 conversations of 10 turns, all 8 concurrent
 * (llama.cpp gets {@code --parallel 8}), 32-token replies.
 */
public record SuiteConfig(String name, List<String> quants, int prefillLen, List<Integer> decodeBatches,
                          int decodeOutputLen, int repeat, int mtConversations, int mtTurns, int mtOutputLen,
                          int mtConcurrency, int constrainedRequests, int constrainedInputLen,
                          int constrainedOutputLen, int constrainedConcurrency, List<Integer> sweepLevels,
                          int sweepPerLevel, int sweepInputLen, int sweepOutputLen, int bandwidthMiB) {

    public static final SuiteConfig FULL = new SuiteConfig("full", List.of("q8_0", "q4_0"), 512,
            List.of(1, 2, 4, 8, 16), 128, 3, 8, 10, 32, 8, 16, 128, 128, 4, List.of(1, 2, 4, 8), 4, 256, 64, 1024);

    public static final SuiteConfig QUICK = new SuiteConfig("quick", List.of("q8_0", "q4_0"), 512, List.of(1, 8), 64,
            2, 4, 10, 32, 4, 8, 128, 64, 4, List.of(1, 4), 2, 128, 32, 512);

    public static final SuiteConfig TINY = new SuiteConfig("tiny", List.of("q8_0"), 32, List.of(1, 4), 8, 1, 2, 2, 4,
            2, 2, 16, 16, 2, List.of(1, 2), 2, 16, 4, 32);

    public static SuiteConfig of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "full" -> FULL;
            case "quick" -> QUICK;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown --size " + name + " (use full, quick or tiny)");
        };
    }

    /** The server parallelism of the sweep: its highest level. */
    public int sweepParallel() {
        return sweepLevels.stream().mapToInt(Integer::intValue).max().orElse(1);
    }
}
