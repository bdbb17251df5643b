package org.sglang4j.core.chat;

/**
 * A chat template could not be compiled or rendered: a syntax error, a {@code raise_exception(...)} in the
 * template (e.g. "Conversation roles must alternate"), or an unsupported construct. It is bad input for the request
 * that triggered it (the server answers 400), never a server failure.
 */
public final class ChatTemplateException extends IllegalArgumentException {
    public ChatTemplateException(String message) { super(message); }

    public ChatTemplateException(String message, Throwable cause) { super(message, cause); }
}
