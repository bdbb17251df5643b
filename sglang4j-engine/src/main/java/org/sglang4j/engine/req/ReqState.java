package org.sglang4j.engine.req;

import java.util.Arrays;
import org.sglang4j.core.sampling.SamplingParams;

/**
 * Output-side state of one request (SGLang {@code TokenizerManager.ReqState} plus the detokenizer's
 * {@code DecodeStatus}): where its outputs go, the incremental-detokenization offsets and the timestamps the
 * latency metrics need. Created by the caller's thread at submit; after that only the output (detokenizer) thread
 * touches the mutable fields, so they need no locks.
 */
public final class ReqState {
    public final GenerateListener listener;
    public final SamplingParams sampling;
    public final long createdNanos;
    public final boolean logMetrics;

    /** Output token ids so far ({@code outputIds[0 .. outputLen)}). */
    public int[] outputIds = new int[16];
    public int outputLen;
    /** Incremental detokenization (SGLang/HF): text of {@code [prefixOffset, readOffset)} is final. */
    public int prefixOffset;
    public int readOffset;
    /** Decoded output text so far, and how much of it the listener has been given. */
    public final StringBuilder text = new StringBuilder();
    public int sentChars;
    /** Time of the previous output with tokens: inter-token latency is measured from it. */
    public long lastOutputNanos;
    public boolean finished;

    public ReqState(GenerateListener listener, SamplingParams sampling, long createdNanos, boolean logMetrics) {
        this.listener = listener;
        this.sampling = sampling;
        this.createdNanos = createdNanos;
        this.logMetrics = logMetrics;
    }

    public void appendOutput(int[] ids) {
        if (outputLen + ids.length > outputIds.length) {
            outputIds = Arrays.copyOf(outputIds, Math.max(outputIds.length * 2, outputLen + ids.length));
        }
        System.arraycopy(ids, 0, outputIds, outputLen, ids.length);
        outputLen += ids.length;
    }
}
