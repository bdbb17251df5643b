package org.sglang4j.bench.onebatch;

/**
 * Timings of one {@link OneBatchCase}, as SGLang's bench_one_batch prints them: prefill latency and throughput
 * ({@code batch × input / latency}), decode median step latency and throughput ({@code batch / median}), total.
 * Prefill figures are medians over the repetitions; decode figures are the median over all steps of all of them.
 * Over several rounds ({@link #medianOf}) each latency is the median of the rounds' and throughputs follow from it.
 */
public record OneBatchResult(int batchSize, int inputLen, int outputLen, int repetitions, double prefillLatencyS,
                             double prefillTokPerS, double decodeMedianLatencyS, double decodeTokPerS,
                             double totalLatencyS, double totalTokPerS) {

    /** A result from its latencies: throughputs follow from them and the case's token counts. */
    static OneBatchResult of(int batchSize, int inputLen, int outputLen, int repetitions, double prefillS,
                             double decodeS, double totalS) {
        return new OneBatchResult(batchSize, inputLen, outputLen, repetitions, prefillS, batchSize * inputLen / prefillS,
                decodeS, batchSize / decodeS, totalS, (double) batchSize * (inputLen + outputLen) / totalS);
    }

    /** One result from several rounds of the same case: the median of each latency. */
    static OneBatchResult medianOf(java.util.List<OneBatchResult> rounds) {
        if (rounds.size() == 1) return rounds.getFirst();
        OneBatchResult f = rounds.getFirst();
        return of(f.batchSize(), f.inputLen(), f.outputLen(), rounds.stream().mapToInt(OneBatchResult::repetitions).sum(),
                OneBatchRunner.median(rounds.stream().mapToDouble(OneBatchResult::prefillLatencyS).toArray()),
                OneBatchRunner.median(rounds.stream().mapToDouble(OneBatchResult::decodeMedianLatencyS).toArray()),
                OneBatchRunner.median(rounds.stream().mapToDouble(OneBatchResult::totalLatencyS).toArray()));
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "batch %d, input %d, output %d: prefill %.4f s (%.1f tok/s), decode median %.5f s (%.1f tok/s), "
                        + "total %.3f s (%.1f tok/s)",
                batchSize, inputLen, outputLen, prefillLatencyS, prefillTokPerS, decodeMedianLatencyS, decodeTokPerS,
                totalLatencyS, totalTokPerS);
    }
}
