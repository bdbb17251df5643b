package org.sglang4j.bench.serving;

import java.util.List;
import org.sglang4j.bench.Comparison;

/**
 * What {@code bench serving --output-file} writes: the workload, one {@link Run} per endpoint (each launched
 * server, or the one given by URL) and, when both sglang4j and llama.cpp ran, the ratios between them.
 */
public record ServingReport(String command, String date, String model, String dataset, int conversations,
                            int requests, double requestRate, int maxConcurrency, String jsonSchema,
                            List<Run> runs, List<Comparison> comparisons) {

    /**
     * One endpoint's results; {@code serverCommand} and {@code memory} are null for a server the benchmark did not
     * start ({@code memory} also where /proc cannot be read).
     */
    public record Run(String label, String baseUrl, String backend, String serverCommand, int skipped,
                      ServingMetrics metrics, List<RequestSummary> requests, ServerMemory memory) {

        public Run withMemory(ServerMemory m) {
            return new Run(label, baseUrl, backend, serverCommand, skipped, metrics, requests, m);
        }
    }

    /**
     * A launched server's resident memory after the run (VmRSS read from /proc by the benchmark, the same way for
     * every server), in MiB; for ours also the weights and KV pool it reports ({@code /get_server_info}), NaN for
     * a peer, and the part of the pool that is resident ({@code kvcache_resident}): our pool is mapped lazily, so
     * only the slots used so far are in memory. Null where the server did not report it (older servers, whose pool
     * was on the heap and wholly resident).
     */
    public record ServerMemory(double weightsMiB, double kvPoolMiB, double residentMiB, Double kvResidentMiB) {
        /** The KV pool's resident part: as reported, else the whole pool. */
        public double kvInMemoryMiB() {
            return kvResidentMiB == null || kvResidentMiB.isNaN() ? kvPoolMiB : kvResidentMiB;
        }

        /**
         * Resident memory beyond the weights and the KV pool's resident part: the JVM, activations, tokenizer,
         * HTTP. (With the whole pool subtracted instead, a pool that is mostly unused would hide overhead.)
         */
        public double overheadMiB() {
            return residentMiB - weightsMiB - kvInMemoryMiB();
        }
    }

    /** One request without its text (kept small): enough to redraw any plot. */
    public record RequestSummary(int conversation, int turn, boolean success, String error, double startS,
                                 double ttftS, double latencyS, int promptTokens, int outputTokens, int cachedTokens) {

        static RequestSummary of(RequestResult r) {
            return new RequestSummary(r.conversation(), r.turn(), r.success(), r.error(), r.startS(), r.ttftS(),
                    r.latencyS(), r.promptTokens(), r.outputTokens(), r.cachedTokens());
        }
    }

    public Run run(String label) {
        return runs.stream().filter(r -> r.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run labelled " + label + " in " + command));
    }
}
