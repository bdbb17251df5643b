package org.sglang4j.core.chat;

import java.util.Map;

/**
 * A function call an assistant message made. {@code arguments} is what the OpenAI API carries: a JSON object
 * as a string (or an already-parsed map); templates receive it parsed, as Hugging Face and SGLang pass it.
 */
public record ToolCall(String id, String name, Object arguments) {
    public ToolCall {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tool call without a function name");
        if (arguments != null && !(arguments instanceof String) && !(arguments instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("tool call arguments must be a JSON string or a map, got "
                    + arguments.getClass().getSimpleName());
        }
    }
}
