package org.sglang4j.server.openai.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Llama 3.1+ JSON tool calls: the output is {@code {"name": "f", "parameters": {...}}} (several joined by
 * {@code ;}), either from its first character or after a {@code <|python_tag|>} marker; anything else is content.
 * An object that turns out to have no {@code name} is given back as content (the user may have asked for JSON).
 */
public final class Llama3ToolCallParser implements ToolCallParser {

    static final String PYTHON_TAG = "<|python_tag|>";

    private enum State { START, CONTENT, BETWEEN_CALLS, IN_CALL }

    private final Supplier<String> ids;
    private final StringBuilder pending = new StringBuilder();
    private State state = State.START;
    private StreamingCall call;
    private int calls;

    public Llama3ToolCallParser(Supplier<String> ids) {
        this.ids = ids;
    }

    @Override
    public ParsedDelta feed(String text) {
        pending.append(text);
        StringBuilder content = new StringBuilder();
        List<ToolCallDelta> out = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = switch (state) {
                case START -> {
                    int ws = 0;
                    while (ws < pending.length() && Character.isWhitespace(pending.charAt(ws))) ws++;
                    String rest = pending.substring(ws);
                    if (rest.isEmpty() || (PYTHON_TAG.startsWith(rest) && !rest.equals(PYTHON_TAG))) yield false;
                    if (rest.startsWith("{")) {
                        pending.delete(0, ws);
                        state = State.BETWEEN_CALLS;
                    } else {
                        state = State.CONTENT;
                    }
                    yield true;
                }
                case CONTENT -> {
                    int at = pending.indexOf(PYTHON_TAG);
                    if (at >= 0) {
                        content.append(pending, 0, at);
                        pending.delete(0, at + PYTHON_TAG.length());
                        state = State.BETWEEN_CALLS;
                        yield true;
                    }
                    int keep = TagPrefix.heldBack(pending, PYTHON_TAG);
                    content.append(pending, 0, pending.length() - keep);
                    pending.delete(0, pending.length() - keep);
                    yield false;
                }
                case BETWEEN_CALLS -> {
                    int skip = 0;
                    while (skip < pending.length() && (Character.isWhitespace(pending.charAt(skip)) || pending.charAt(skip) == ';')) skip++;
                    pending.delete(0, skip);
                    if (pending.isEmpty()) yield false;
                    if (pending.charAt(0) == '{') {
                        call = new StreamingCall(calls, ids.get());
                        state = State.IN_CALL;
                    } else {
                        state = State.CONTENT; // text after the calls
                    }
                    yield true;
                }
                case IN_CALL -> {
                    int used = call.scanner.feed(pending, 0);
                    pending.delete(0, used);
                    call.progress(out);
                    if (call.scanner.done() || call.scanner.invalid()) {
                        if (call.nameSent()) calls++;
                        else content.append(call.scanner.raw());
                        state = call.scanner.done() ? State.BETWEEN_CALLS : State.CONTENT;
                        yield true;
                    }
                    yield false;
                }
            };
        }
        return new ParsedDelta(content.toString(), out);
    }

    @Override
    public ParsedDelta finish() {
        StringBuilder content = new StringBuilder();
        List<ToolCallDelta> out = new ArrayList<>();
        switch (state) {
            case START, CONTENT, BETWEEN_CALLS -> content.append(pending);
            case IN_CALL -> {
                call.progress(out);
                if (call.nameSent()) calls++;
                else content.append(call.scanner.raw()).append(pending);
            }
        }
        pending.setLength(0);
        state = State.CONTENT;
        return new ParsedDelta(content.toString(), out);
    }

    @Override
    public boolean sawToolCall() {
        return calls > 0 || (call != null && call.nameSent());
    }
}
