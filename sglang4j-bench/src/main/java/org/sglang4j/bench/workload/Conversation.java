package org.sglang4j.bench.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * A unit of the workload: one request (single-turn datasets: {@code chat} false, the turn's text is the whole
 * prompt) or a chat whose turns are sent one after another, each with the full history so far — system prompt,
 * every earlier user message and the answer the server actually gave — as a real chat client does.
 */
public record Conversation(int id, String systemPrompt, List<Turn> turns, boolean chat) {

    public Conversation {
        if (turns.isEmpty()) throw new IllegalArgumentException("conversation " + id + " has no turns");
        if (!chat && turns.size() != 1) throw new IllegalArgumentException("a plain prompt has exactly one turn");
        turns = List.copyOf(turns);
    }

    public static Conversation single(int id, Turn turn) {
        return new Conversation(id, null, List.of(turn), false);
    }

    /** The messages of turn {@code k}: system prompt, turns 0..k-1 with their answers, then user turn k. */
    public List<ChatMessage> messages(int k, List<String> answers) {
        if (answers.size() < k) throw new IllegalArgumentException("turn " + k + " needs " + k + " answers, got " + answers.size());
        List<ChatMessage> m = new ArrayList<>();
        if (systemPrompt != null) m.add(new ChatMessage("system", systemPrompt));
        for (int i = 0; i < k; i++) {
            m.add(new ChatMessage("user", turns.get(i).text()));
            m.add(new ChatMessage("assistant", answers.get(i)));
        }
        m.add(new ChatMessage("user", turns.get(k).text()));
        return m;
    }
}
