package org.sglang4j.bench.workload;

import java.util.List;

/**
 * Renders chat messages as ChatML text ({@code <|im_start|>role\ncontent<|im_end|>\n}, then the assistant header),
 * the format of the Qwen2 models the benchmarks use. Completion-style endpoints get this text, so every server
 * sees exactly the same prompt tokens; chat endpoints get the messages and apply their own template.
 */
public final class ChatMl {
    private ChatMl() {}

    public static String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            sb.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
        }
        return sb.append("<|im_start|>assistant\n").toString();
    }
}
