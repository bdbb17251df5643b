package org.sglang4j.server.openai.tool;

import java.util.List;

/**
 * {@code tool_choice: {"type": "function", "function": {"name": f}}}: the output was constrained to f's parameters
 * schema, so all of it is the arguments of one call to f, streamed as it comes.
 */
public final class NamedToolCallParser implements ToolCallParser {

    private final String name;
    private final String id;
    private boolean started;

    public NamedToolCallParser(String name, String id) {
        this.name = name;
        this.id = id;
    }

    @Override
    public ParsedDelta feed(String text) {
        java.util.ArrayList<ToolCallDelta> out = new java.util.ArrayList<>();
        if (!started) {
            out.add(new ToolCallDelta(0, id, name, ""));
            started = true;
        }
        if (!text.isEmpty()) out.add(new ToolCallDelta(0, null, null, text));
        return new ParsedDelta("", out);
    }

    @Override
    public ParsedDelta finish() {
        return started ? new ParsedDelta("", List.of()) : feed("");
    }

    @Override
    public boolean sawToolCall() {
        return started;
    }
}
