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

    /** One result from several rounds of the same case: median latencies, throughputs computed from them. */
    static OneBatchResult medianOf(java.util.List<OneBatchResult> rounds) {
        if (rounds.size() == 1) return rounds.getFirst();
        OneBatchResult f = rounds.getFirst();
        double prefill = OneBatchRunner.median(rounds.stream().mapToDouble(OneBatchResult::prefillLatencyS).toArray());
        double decode = OneBatchRunner.median(rounds.stream().mapToDouble(OneBatchResult::decodeMedianLatencyS).toArray());
        double total = OneBatchRunner.median(rounds.stream().mapToDouble(OneBatchResult::totalLatencyS).toArray());
        int b = f.batchSize();
        return new OneBatchResult(b, f.inputLen(), f.outputLen(),
                rounds.stream().mapToInt(OneBatchResult::repetitions).sum(), prefill, b * f.inputLen() / prefill,
                decode, b / decode, total, (double) b * (f.inputLen() + f.outputLen()) / total);
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
