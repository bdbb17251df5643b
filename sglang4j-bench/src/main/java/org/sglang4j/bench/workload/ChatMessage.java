package org.sglang4j.bench.workload;

/** One chat message ({@code role} is "system", "user" or "assistant"). */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (!role.equals("system") && !role.equals("user") && !role.equals("assistant")) {
            throw new IllegalArgumentException("chat role must be system, user or assistant, got " + role);
        }
    }
}
