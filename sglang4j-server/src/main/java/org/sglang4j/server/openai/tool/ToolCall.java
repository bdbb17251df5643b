package org.sglang4j.server.openai.tool;

import java.util.ArrayList;
import java.util.List;

/** A complete tool call: what a non-streaming response lists in {@code message.tool_calls}. */
public record ToolCall(int index, String id, String name, String arguments) {

    /** Folds streamed pieces back into calls, in index order. */
    public static List<ToolCall> merge(List<ToolCallDelta> deltas) {
        List<ToolCall> calls = new ArrayList<>();
        for (ToolCallDelta d : deltas) {
            if (d.name() != null) {
                if (d.index() != calls.size()) {
                    throw new IllegalStateException("tool call " + d.index() + " started out of order");
                }
                calls.add(new ToolCall(d.index(), d.id(), d.name(), d.arguments()));
            } else {
                ToolCall c = calls.get(d.index());
                calls.set(d.index(), new ToolCall(c.index(), c.id(), c.name(), c.arguments() + d.arguments()));
            }
        }
        return calls;
    }
}
