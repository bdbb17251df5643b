package org.sglang4j.engine;

import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.runner.LoadedModel;
import org.sglang4j.engine.scheduler.SchedulerConfig;

/**
 * The pool and batch sizes derived at start-up (SGLang {@code model_runner.profile_max_num_token} and the
 * {@code server_args} defaults, adapted to a JVM): the KV pool holds {@code --max-total-tokens} tokens, or
 * {@code --mem-fraction-static} of the heap still free after the weights divided by the KV bytes per token.
 */
record EngineSizing(int contextLength, int maxTotalTokens, int maxRunningRequests, int maxTokensPerForward) {
    /** Cap on the default running batch: a CPU decode step gains nothing from wider batches. */
    static final int DEFAULT_MAX_RUNNING = 256;

    static EngineSizing of(EngineConfig c, LoadedModel m) {
        int ctx = c.contextLength() != null ? c.contextLength() : m.contextLength();
        if (ctx < 2) throw new IllegalArgumentException("--context-length must be >= 2, got " + ctx);
        if (c.threads() < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + c.threads());
        int total = c.maxTotalTokens() != null ? c.maxTotalTokens() : fromMemory(c.memFractionStatic(), m.kvBytesPerToken());
        if (total < 2) {
            throw new IllegalArgumentException("--max-total-tokens must be >= 2, got " + total);
        }
        int running = c.maxRunningRequests() != null ? c.maxRunningRequests()
                : Math.max(1, Math.min(DEFAULT_MAX_RUNNING, total / 2));
        if (running < 1) throw new IllegalArgumentException("--max-running-requests must be >= 1, got " + running);
        int chunk = c.chunkedPrefillSize();
        int perForward = Math.max(c.maxPrefillTokens(), chunk > 0 ? chunk : ctx) + running;
        return new EngineSizing(ctx, total, running, perForward);
    }

    /** KV tokens that fit in {@code fraction} of the heap that is free now (weights are already loaded). */
    static int fromMemory(double fraction, long kvBytesPerToken) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--mem-fraction-static must be in (0, 1), got " + fraction);
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long tokens = (long) (free * fraction) / Math.max(1, kvBytesPerToken);
        if (tokens < 2) {
            throw new IllegalArgumentException("no memory left for the KV cache (" + (free >> 20) + " MiB free heap, "
                    + kvBytesPerToken + " bytes per token): raise -Xmx, --mem-fraction-static or set --max-total-tokens");
        }
        return (int) Math.min(tokens, Integer.MAX_VALUE - 8);
    }

    SchedulerConfig schedulerConfig(EngineConfig c, Tokenizer tokenizer) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, c.chunkedPrefillSize(),
                c.maxPrefillTokens(), c.schedulePolicy(), c.disableRadixCache(), c.enableMixedChunk(),
                c.scheduleConservativeness(), tokenizer.eosIds(), tokenizer.bosId(), maxTotalTokens / 2,
                SESSION_PIN_TTL_SECONDS);
    }

    /** How long a session's KV stays pinned after its last request when the session set no timeout. */
    static final double SESSION_PIN_TTL_SECONDS =
            Double.parseDouble(System.getProperty("sglang4j.sessionPinTtlSeconds", "300"));
}
