package org.sglang4j.engine;

import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.GenerateRequest;

/**
 * The in-process engine API used by the server, the benchmarks and the frontend language. One scheduler thread
 * owns all mutable state (KV pool, radix cache, batches); the methods here only post messages to it and are safe
 * to call from any thread.
 *
 * <p>TODO(issue 5): this is the contract; the scheduler, caches and runner are being built behind it.
 */
public final class Engine implements AutoCloseable {

    private Engine() {}

    /** Loads the model, sizes the KV pool, runs warm-ups and starts the scheduler thread. */
    public static Engine start(EngineConfig config) {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    public Tokenizer tokenizer() {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    public ModelInfo modelInfo() {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    /**
     * Queues a request; outputs arrive at {@code listener}. Validates first (prompt within the context length,
     * grammar compiles — the compile may block the calling thread, never the scheduler) and throws
     * {@link InvalidRequestException} for a request that must not run.
     */
    public void submit(GenerateRequest request, GenerateListener listener) {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    /** Aborts a queued or running request and frees its KV at once; unknown ids are ignored. */
    public void abort(String rid) {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    /** Empties the radix cache; refused (false) while requests are running or queued, as in SGLang. */
    public boolean flushCache() {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    /** Opens a session; returns its id ({@code requestedId} or a new uuid). */
    public String openSession(String requestedId, int capacityOfStrLen, Double timeoutSeconds) {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    public boolean closeSession(String sessionId) {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    public EngineStats stats() {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    /** Prometheus text exposition of the engine metrics (SGLang names, {@code sglang:} prefix). */
    public String prometheusText() {
        throw new UnsupportedOperationException("engine runtime not built yet (issue 5)");
    }

    /** Stops the scheduler; in-flight requests are aborted. Callers drain first for a graceful shutdown. */
    @Override
    public void close() {}
}
