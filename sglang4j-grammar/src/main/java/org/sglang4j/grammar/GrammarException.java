package org.sglang4j.grammar;

/**
 * A constraint that cannot be compiled: invalid or unsupported regex / JSON Schema, a grammar that matches nothing,
 * or one too complex for the time or state limit. The message says what is wrong and what to change; the server
 * turns it into an HTTP 400 for that request only.
 */
public final class GrammarException extends RuntimeException {
    public GrammarException(String message) {
        super(message);
    }

    public GrammarException(String message, Throwable cause) {
        super(message, cause);
    }
}
