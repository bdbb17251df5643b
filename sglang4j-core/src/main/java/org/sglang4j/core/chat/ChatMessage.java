package org.sglang4j.core.chat;

import java.util.List;
import java.util.Map;

/**
 * One message of a conversation as chat templates see it: {@code role} (system, user, assistant, tool, or any
 * role the model's template accepts), text {@code content} (null for an assistant turn that only calls tools),
 * {@code toolCalls}, and for tool results the {@code toolCallId} / {@code name} they answer. {@code extra} carries
 * any other fields a template may read (e.g. {@code reasoning_content}).
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId, String name,
                          Map<String, Object> extra) {
    public ChatMessage {
        if (role == null || role.isEmpty()) throw new IllegalArgumentException("chat message without a role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static ChatMessage of(String role, String content) {
        return new ChatMessage(role, content, List.of(), null, null, Map.of());
    }

    public static ChatMessage system(String content) { return of("system", content); }

    public static ChatMessage user(String content) { return of("user", content); }

    public static ChatMessage assistant(String content) { return of("assistant", content); }

    public static ChatMessage assistantToolCalls(String content, List<ToolCall> calls) {
        return new ChatMessage("assistant", content, calls, null, null, Map.of());
    }

    public static ChatMessage tool(String toolCallId, String name, String content) {
        return new ChatMessage("tool", content, List.of(), toolCallId, name, Map.of());
    }
}
