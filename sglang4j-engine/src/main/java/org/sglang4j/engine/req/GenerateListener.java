package org.sglang4j.engine.req;

/**
 * Receives a request's outputs in order. Called from an engine output thread (never the scheduler thread): it
 * must not block for long. The last call has {@link GenerateOutput#finished()} true; no call follows it.
 */
@FunctionalInterface
public interface GenerateListener {
    void onOutput(GenerateOutput output);
}
