package org.sglang4j.server.openai.tool;

import java.util.ArrayList;
import java.util.List;

/** What a piece of model output turned out to be: plain content for the user, and tool-call pieces. */
public record ParsedDelta(String content, List<ToolCallDelta> calls) {

    public ParsedDelta {
        calls = List.copyOf(calls);
    }

    public boolean isEmpty() {
        return content.isEmpty() && calls.isEmpty();
    }

    public ParsedDelta then(ParsedDelta next) {
        List<ToolCallDelta> all = new ArrayList<>(calls);
        all.addAll(next.calls);
        return new ParsedDelta(content + next.content, all);
    }
}
