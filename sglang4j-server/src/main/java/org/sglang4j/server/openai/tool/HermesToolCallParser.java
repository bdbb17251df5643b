package org.sglang4j.server.openai.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Qwen 2.5 / Qwen 3 / Hermes format: each call is a JSON object between {@code <tool_call>} and
 * {@code </tool_call>}, anywhere in the output; the text around the tags is content.
 */
public final class HermesToolCallParser implements ToolCallParser {

    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    private enum State { OUTSIDE, IN_CALL, AFTER_CALL }

    private final Supplier<String> ids;
    private final StringBuilder pending = new StringBuilder();
    private State state = State.OUTSIDE;
    private StreamingCall call;
    private int calls;

    public HermesToolCallParser(Supplier<String> ids) {
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
                case OUTSIDE -> {
                    int at = pending.indexOf(OPEN);
                    if (at >= 0) {
                        content.append(pending, 0, at);
                        pending.delete(0, at + OPEN.length());
                        call = new StreamingCall(calls, ids.get());
                        state = State.IN_CALL;
                        yield true;
                    }
                    int keep = TagPrefix.heldBack(pending, OPEN);
                    content.append(pending, 0, pending.length() - keep);
                    pending.delete(0, pending.length() - keep);
                    yield false;
                }
                case IN_CALL -> {
                    int used = call.scanner.feed(pending, 0);
                    pending.delete(0, used);
                    call.progress(out);
                    if (call.scanner.done()) {
                        endCall(content);
                        state = State.AFTER_CALL;
                        yield true;
                    }
                    if (call.scanner.invalid()) {
                        // Not JSON after all: give the text back unless part of it already went out as a call.
                        if (!call.nameSent()) content.append(OPEN).append(call.scanner.raw());
                        else calls++;
                        state = State.OUTSIDE;
                        yield true;
                    }
                    yield false;
                }
                case AFTER_CALL -> {
                    int ws = 0;
                    while (ws < pending.length() && Character.isWhitespace(pending.charAt(ws))) ws++;
                    String rest = pending.substring(ws);
                    if (rest.startsWith(CLOSE)) {
                        pending.delete(0, ws + CLOSE.length());
                        state = State.OUTSIDE;
                        yield true;
                    }
                    if (CLOSE.startsWith(rest)) yield false; // wait for the rest of the closing tag
                    state = State.OUTSIDE; // closing tag missing: carry on with plain text
                    yield true;
                }
            };
        }
        return new ParsedDelta(content.toString(), out);
    }

    private void endCall(StringBuilder content) {
        if (call.nameSent()) calls++;
        else content.append(OPEN).append(call.scanner.raw()); // an object without a name is no call
    }

    @Override
    public ParsedDelta finish() {
        StringBuilder content = new StringBuilder();
        List<ToolCallDelta> out = new ArrayList<>();
        switch (state) {
            case OUTSIDE -> content.append(pending);
            case IN_CALL -> {
                // Output ended inside a call (e.g. max_tokens): keep what was streamed, else return it as text.
                call.progress(out);
                if (call.nameSent()) calls++;
                else content.append(OPEN).append(call.scanner.raw()).append(pending);
            }
            case AFTER_CALL -> {
                if (!pending.toString().isBlank() && !CLOSE.startsWith(pending.toString().strip())) content.append(pending);
            }
        }
        pending.setLength(0);
        state = State.OUTSIDE;
        return new ParsedDelta(content.toString(), out);
    }

    @Override
    public boolean sawToolCall() {
        return calls > 0 || (call != null && call.nameSent());
    }
}
