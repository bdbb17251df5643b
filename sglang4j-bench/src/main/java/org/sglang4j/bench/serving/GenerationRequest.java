package org.sglang4j.bench.serving;

import java.util.List;
import org.sglang4j.bench.workload.ChatMessage;
import org.sglang4j.bench.workload.ChatMl;

/**
 * What one benchmark request asks for, before a {@link Backend} turns it into its API's JSON.
 *
 * @param text        the prompt for completion-style APIs (ChatML-rendered history for chats)
 * @param messages    the chat messages for chat APIs (a single user message for plain prompts)
 * @param ignoreEos   generate exactly {@code maxTokens} (off for constrained runs, where the grammar ends the output)
 * @param jsonSchema  JSON schema text the output must match, or null
 * @param cachePrompt false to ask llama.cpp not to reuse its prompt cache (its per-request switch); not sent
 *                    when true, so other servers never see the field
 */
public record GenerationRequest(String text, List<ChatMessage> messages, int maxTokens, boolean ignoreEos,
                                String jsonSchema, boolean cachePrompt) {

    public static GenerationRequest ofPrompt(String text, int maxTokens, boolean ignoreEos, String jsonSchema,
                                             boolean cachePrompt) {
        return new GenerationRequest(text, List.of(new ChatMessage("user", text)), maxTokens, ignoreEos, jsonSchema,
                cachePrompt);
    }

    public static GenerationRequest ofChat(List<ChatMessage> messages, int maxTokens, boolean ignoreEos,
                                           String jsonSchema, boolean cachePrompt) {
        return new GenerationRequest(ChatMl.render(messages), List.copyOf(messages), maxTokens, ignoreEos, jsonSchema,
                cachePrompt);
    }
}
