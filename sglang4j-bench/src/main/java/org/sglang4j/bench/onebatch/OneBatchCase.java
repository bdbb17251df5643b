package org.sglang4j.bench.onebatch;

/**
 * One configuration of {@code bench one-batch} (SGLang's bench_one_batch): {@code batchSize} sequences of
 * {@code inputLen} random prompt tokens are prefilled in one forward, then {@code outputLen} decode steps each
 * compute one new token for every sequence (the first output token comes from the prefill).
 */
public record OneBatchCase(int batchSize, int inputLen, int outputLen) {

    public OneBatchCase {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        if (inputLen < 1) throw new IllegalArgumentException("--input-len must be >= 1, got " + inputLen);
        if (outputLen < 1) throw new IllegalArgumentException("--output-len must be >= 1, got " + outputLen);
    }

    /** Decode steps after the prefill. */
    public int decodeSteps() {
        return outputLen - 1;
    }

    @Override
    public String toString() {
        return "batch " + batchSize + ", input " + inputLen + ", output " + outputLen;
    }
}
