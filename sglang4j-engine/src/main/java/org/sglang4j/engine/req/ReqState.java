package org.sglang4j.engine.req;

import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.IncrementalDetokenizer;

/**
 * Output-side state of one request (SGLang {@code TokenizerManager.ReqState} plus the detokenizer's
 * {@code DecodeStatus}): where its outputs go, its incremental detokenizer and the timestamps the latency metrics
 * need. Created by the caller's thread at submit; after that only the output (detokenizer) thread touches the
 * mutable fields, so they need no locks.
 */
public final class ReqState {
    public final GenerateListener listener;
    public final SamplingParams sampling;
    public final long createdNanos;
    public final boolean logMetrics;

    /** Created by the output thread on the first output. */
    public IncrementalDetokenizer detokenizer;
    /** Time of the previous output with tokens: inter-token latency is measured from it (0 = none yet). */
    public long lastOutputNanos;
    public boolean finished;

    public ReqState(GenerateListener listener, SamplingParams sampling, long createdNanos, boolean logMetrics) {
        this.listener = listener;
        this.sampling = sampling;
        this.createdNanos = createdNanos;
        this.logMetrics = logMetrics;
    }
}
