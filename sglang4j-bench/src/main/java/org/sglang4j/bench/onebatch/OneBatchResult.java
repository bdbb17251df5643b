package org.sglang4j.bench.onebatch;

/**
 * Timings of one {@link OneBatchCase}, as SGLang's bench_one_batch prints them: prefill latency and throughput
 * ({@code batch × input / latency}), decode median step latency and throughput ({@code batch / median}), total.
 * Prefill figures are medians over the repetitions; decode figures are the median over all steps of all of them.
 */
public record OneBatchResult(int batchSize, int inputLen, int outputLen, int repetitions, double prefillLatencyS,
                             double prefillTokPerS, double decodeMedianLatencyS, double decodeTokPerS,
                             double totalLatencyS, double totalTokPerS) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "batch %d, input %d, output %d: prefill %.4f s (%.1f tok/s), decode median %.5f s (%.1f tok/s), "
                        + "total %.3f s (%.1f tok/s)",
                batchSize, inputLen, outputLen, prefillLatencyS, prefillTokPerS, decodeMedianLatencyS, decodeTokPerS,
                totalLatencyS, totalTokPerS);
    }
}
