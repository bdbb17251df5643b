package org.sglang4j.engine;

import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.runner.LoadedModel;
import org.sglang4j.engine.scheduler.SchedulerConfig;

/**
 * The pool and batch sizes derived at start-up (SGLang {@code model_runner.profile_max_num_token} and the
 * {@code server_args} defaults): the KV pool holds {@code --max-total-tokens} tokens, or what SGLang's rule leaves
 * on this machine (see {@link #fromMemory}), at most what the running requests could fill.
 */
record EngineSizing(int contextLength, int maxTotalTokens, int maxRunningRequests, int maxTokensPerForward) {
    /** Cap on the default running batch: a CPU decode step gains nothing from wider batches. */
    static final int DEFAULT_MAX_RUNNING = 256;

    static EngineSizing of(EngineConfig c, LoadedModel m) {
        return of(c, m, c.maxTotalTokens() != null ? null : SystemMemory.current());
    }

    /** As {@link #of(EngineConfig, LoadedModel)} with the machine's memory given ({@code null}: not known). */
    static EngineSizing of(EngineConfig c, LoadedModel m, SystemMemory memory) {
        int ctx = c.contextLength() != null ? c.contextLength() : m.contextLength();
        if (ctx < 2) throw new IllegalArgumentException("--context-length must be >= 2, got " + ctx);
        if (c.threads() < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + c.threads());
        if (c.maxRunningRequests() != null && c.maxRunningRequests() < 1) {
            throw new IllegalArgumentException("--max-running-requests must be >= 1, got " + c.maxRunningRequests());
        }
        int total;
        if (c.maxTotalTokens() != null) {
            total = c.maxTotalTokens();
        } else {
            // More slots than the running requests can ever hold would only be radix cache: not worth the
            // address space (and the allocator's 4 bytes a slot) by default.
            long useful = (long) (c.maxRunningRequests() != null ? c.maxRunningRequests() : DEFAULT_MAX_RUNNING) * ctx;
            total = (int) Math.min(useful, fromMemory(c.memFractionStatic(), m.kvBytesPerToken(), m.weightBytes(),
                    memory));
        }
        if (total < 2) {
            throw new IllegalArgumentException("--max-total-tokens must be >= 2, got " + total);
        }
        int running = c.maxRunningRequests() != null ? c.maxRunningRequests()
                : Math.max(1, Math.min(DEFAULT_MAX_RUNNING, total / 2));
        int chunk = c.chunkedPrefillSize();
        // With chunking on, the chunk budget bounds a whole prefill batch (PrefillAdder charges every request to
        // it); without it, --max-prefill-tokens does, except that one request may be as long as the context.
        int prefill = chunk > 0 ? chunk : Math.max(c.maxPrefillTokens(), ctx);
        // A decode step has one token per running request; a mixed batch (--enable-mixed-chunk) has those on top
        // of a prefill. Without mixing, prefill and decode batches are separate, and the forward buffers (a few
        // MB per 256 tokens) need only hold the larger.
        int perForward = c.enableMixedChunk() ? prefill + running : Math.max(prefill, running);
        return new EngineSizing(ctx, total, running, perForward);
    }

    /**
     * KV tokens by SGLang's rule on CPU: {@code available − total × (1 − mem_fraction_static)} bytes, so that
     * everything else on the machine (this JVM's heap, other processes) keeps {@code 1 − fraction} of it. The
     * weights are mapped file pages, which the kernel counts as available (reclaimable page cache) although the
     * server needs them resident, so they are taken off. The pool's pages become resident only as slots are used
     * (see {@code KvCache}), so a large pool costs address space until it fills. Capped at the slot index range.
     *
     * @param memory the machine's memory; null (unknown) falls back to the JVM's view of physical memory
     */
    static int fromMemory(double fraction, long kvBytesPerToken, long weightBytes, SystemMemory memory) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("--mem-fraction-static must be in (0, 1), got " + fraction);
        }
        if (kvBytesPerToken < 1) throw new IllegalArgumentException("KV bytes per token must be >= 1, got " + kvBytesPerToken);
        SystemMemory mem = memory != null ? memory : SystemMemory.fromJvm();
        long available = mem.availableBytes() - weightBytes;
        long reserved = (long) (mem.totalBytes() * (1 - fraction));
        long tokens = (available - reserved) / kvBytesPerToken;
        if (tokens < 2) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "no memory left for the KV cache: "
                    + "%d MiB available after %d MiB of weights (%s), and --mem-fraction-static %s keeps %d MiB of "
                    + "the %d MiB total for everything else; free memory, raise --mem-fraction-static or set "
                    + "--max-total-tokens", available >> 20, weightBytes >> 20, mem.source(), fraction, reserved >> 20,
                    mem.totalBytes() >> 20));
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
