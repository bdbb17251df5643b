package org.sglang4j.engine.runner;

import org.sglang4j.core.model.ForwardBatch;

/**
 * What the {@link ModelRunner} needs from a model: one batched forward over the KV pool. Two implementations: the
 * real model (weights + {@code KvCache} + compute pool) and, in tests, a model whose "logits" are a hash of the
 * tokens it gathers through the KV slots, which makes any slot mix-up visible.
 */
public interface ForwardModel {

    int vocabSize();

    /**
     * Runs {@code batch}: writes each new token's K/V to its {@code outCacheLoc} slot and the logits of token
     * {@code batch.logitTokens()[r]} to {@code logits[r * vocabSize() ..]}.
     */
    void forward(ForwardBatch batch, float[] logits);

    /** Bytes of the KV pool's storage that are resident in memory now; -1 where unknown (test models). */
    default long kvResidentBytes() {
        return -1;
    }
}
