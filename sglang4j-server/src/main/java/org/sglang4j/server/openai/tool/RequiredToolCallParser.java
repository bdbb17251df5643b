package org.sglang4j.server.openai.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code tool_choice: "required"}: the output was constrained to a JSON array of
 * {@code {"name": ..., "parameters": {...}}} objects ({@link ToolChoiceSchema#required}); every element is a call.
 */
public final class RequiredToolCallParser implements ToolCallParser {

    private enum State { START, ELEMENTS, IN_CALL, END }

    private final Supplier<String> ids;
    private final StringBuilder pending = new StringBuilder();
    private State state = State.START;
    private StreamingCall call;
    private int calls;

    public RequiredToolCallParser(Supplier<String> ids) {
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
                case START, ELEMENTS -> {
                    int skip = 0;
                    char open = state == State.START ? '[' : '{';
                    while (skip < pending.length() && (Character.isWhitespace(pending.charAt(skip))
                            || (state == State.ELEMENTS && pending.charAt(skip) == ','))) skip++;
                    pending.delete(0, skip);
                    if (pending.isEmpty()) yield false;
                    char c = pending.charAt(0);
                    if (state == State.START && c == open) {
                        pending.deleteCharAt(0);
                        state = State.ELEMENTS;
                    } else if (state == State.ELEMENTS && c == open) {
                        call = new StreamingCall(calls, ids.get());
                        state = State.IN_CALL;
                    } else if (state == State.ELEMENTS && c == ']') {
                        pending.deleteCharAt(0);
                        state = State.END;
                    } else {
                        state = State.END; // cannot happen under the grammar; the rest is content
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
                        state = call.scanner.done() ? State.ELEMENTS : State.END;
                        yield true;
                    }
                    yield false;
                }
                case END -> {
                    content.append(pending);
                    pending.setLength(0);
                    yield false;
                }
            };
        }
        return new ParsedDelta(content.toString(), out);
    }

    @Override
    public ParsedDelta finish() {
        List<ToolCallDelta> out = new ArrayList<>();
        String content = "";
        if (state == State.IN_CALL) {
            call.progress(out);
            if (call.nameSent()) calls++;
            else content = call.scanner.raw() + pending;
        } else {
            content = pending.toString();
        }
        pending.setLength(0);
        state = State.END;
        return new ParsedDelta(content, out);
    }

    @Override
    public boolean sawToolCall() {
        return calls > 0 || (call != null && call.nameSent());
    }
}
