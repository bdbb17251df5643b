package org.sglang4j.engine.runner;

import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.Model;

/**
 * The real model bound to the engine's KV pool: weights (shared, immutable), the {@link KvCache} whose slots the
 * allocator hands out, one step's activation buffers and the {@code --threads} compute pool.
 */
public final class ModelForward implements ForwardModel, AutoCloseable {
    /**
     * Most tokens one pass of the forward computes; a longer batch (a 2048-token prefill chunk) runs in several
     * passes ({@link Model#forwardInPasses}). The step's buffers are sized for a pass: 23 MB instead of 35 at
     * Qwen2.5-0.5B, for one more read of the weights per 1024 tokens (≈0.3% of a prefill on 2 cores).
     */
    public static final int PASS_TOKENS = 1024;

    private final Model model;
    private final KvCache kv;
    private final ForwardState state;
    private final ComputePool pool;

    public ModelForward(Model model, KvCache kv, ForwardState state, ComputePool pool) {
        this.model = model;
        this.kv = kv;
        this.state = state;
        this.pool = pool;
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public void forward(ForwardBatch batch, float[] logits) {
        model.forwardInPasses(batch, kv, state, logits, pool);
    }

    /** Bytes of the KV pool that are resident (slots written so far; see {@link KvCache#residentBytes}). */
    @Override
    public long kvResidentBytes() {
        return kv.residentBytes();
    }

    /** Stops the compute threads and unmaps the KV pool and the weights. */
    @Override
    public void close() throws Exception {
        pool.close();
        kv.close();
        model.close();
    }
}
