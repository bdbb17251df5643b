package org.sglang4j.server.openai.tool;

import java.util.function.Supplier;

/**
 * Splits model output into content and tool calls, incrementally: {@link #feed} takes each text delta as it is
 * generated and returns only what is certain (text that might be the start of a tool-call tag is held back until
 * the next delta decides), {@link #finish} flushes the rest. A call may be split over many deltas and one delta
 * may hold several calls; indexes and ids stay stable. Non-streaming responses use the same path (feed everything
 * once, then finish), so both modes give the same calls.
 */
public sealed interface ToolCallParser
        permits HermesToolCallParser, Llama3ToolCallParser, RequiredToolCallParser, NamedToolCallParser {

    ParsedDelta feed(String text);

    ParsedDelta finish();

    /** True once any call has been emitted: the choice then finishes with {@code "tool_calls"}. */
    boolean sawToolCall();

    /** Everything at once: the non-streaming case. */
    default ParsedDelta parseAll(String text) {
        return feed(text).then(finish());
    }

    /** A new {@code call_...} id, OpenAI's format. */
    static Supplier<String> randomIds() {
        return () -> "call_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
