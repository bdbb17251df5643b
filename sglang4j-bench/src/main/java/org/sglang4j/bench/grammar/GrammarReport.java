package org.sglang4j.bench.grammar;

import java.util.List;
import java.util.Locale;

/** What {@code bench grammar} measured (written as JSON with {@code --output-file}, printed as Markdown). */
public record GrammarReport(String commandLine, String vocab, int vocabSize, double indexBuildMs, List<SchemaResult> schemas) {

    /** Per-token latency of {@code fillNextTokenMask} + {@code acceptToken}, in microseconds. */
    public record TokenTimes(int tokens, double medianUs, double p90Us, double p99Us, double maxUs, double meanUs, int newStates) {}

    /**
     * @param firstCompileMs     the first compilation of this schema in the process (JIT still cold)
     * @param coldCompileMedianMs cache misses in a warmed-up process (same schema, fresh cache keys)
     * @param cachedCompileUs    a cache hit
     * @param firstRequest       tokens of the first request on a freshly compiled grammar (masks computed on the way)
     * @param laterRequests      tokens of the following requests with the same grammar
     */
    public record SchemaResult(String name, int dfaStates, double firstCompileMs, double coldCompileMedianMs,
                               double coldCompileMaxMs, double cachedCompileUs, TokenTimes firstRequest, TokenTimes laterRequests) {}

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Vocabulary %s (%,d tokens); token index built in %.0f ms.%n%n", vocab, vocabSize, indexBuildMs));
        sb.append("| schema | DFA states | first compile (ms) | compile, cache miss (ms, median / max) | compile, cache hit (µs) "
                + "| mask+accept per token, first request (µs, median / p99 / max) | later requests (µs, median / p99 / max) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (SchemaResult s : schemas) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f / %.1f | %.2f | %.1f / %.0f / %.0f (%d tokens, %d new states) | %.1f / %.1f / %.0f (%d tokens) |%n",
                    s.name(), s.dfaStates(), s.firstCompileMs(), s.coldCompileMedianMs(), s.coldCompileMaxMs(), s.cachedCompileUs(),
                    s.firstRequest().medianUs(), s.firstRequest().p99Us(), s.firstRequest().maxUs(), s.firstRequest().tokens(),
                    s.firstRequest().newStates(), s.laterRequests().medianUs(), s.laterRequests().p99Us(), s.laterRequests().maxUs(),
                    s.laterRequests().tokens()));
        }
        sb.append("\nTargets (issue 7): compile < 1 s cold and < 1 ms cached; mask time per token < 50 µs median.\n");
        return sb.toString();
    }
}
