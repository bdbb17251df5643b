package org.sglang4j.bench.serving;

/**
 * The outcome of one request, as SGLang's bench_serving records it.
 *
 * @param startS       when it was sent, seconds after the benchmark started
 * @param ttftS        time to the first generated text (NaN when none arrived)
 * @param latencyS     time to the end of the stream
 * @param itlS         gaps between successive token-carrying events (inter-token latency)
 * @param promptTokens prompt tokens (the server's count where it reports one, else ours)
 * @param outputTokens generated tokens (the server's count where reported, else counted from the stream)
 * @param cachedTokens prompt tokens served from the server's prefix cache; -1 when the server does not say
 * @param text         the generated text (the multi-turn workload sends it back as the assistant's turn)
 */
public record RequestResult(int conversation, int turn, boolean success, String error, double startS, double ttftS,
                            double latencyS, double[] itlS, int promptTokens, int outputTokens, int cachedTokens,
                            String text) {

    static RequestResult failure(int conversation, int turn, double startS, double latencyS, String error) {
        return new RequestResult(conversation, turn, false, error, startS, Double.NaN, latencyS, new double[0], 0, 0,
                -1, "");
    }
}
