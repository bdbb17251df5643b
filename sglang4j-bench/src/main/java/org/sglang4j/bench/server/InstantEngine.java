package org.sglang4j.bench.server;

import java.util.List;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplate;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.server.EngineClient;

/**
 * The real model's tokenizer and template with an engine that costs nothing: every request gets
 * {@code max_new_tokens} outputs of one token each, at once. Whatever latency remains is the server's own
 * (HTTP, JSON, tokenization, SSE, sockets).
 */
record InstantEngine(EngineClient real, int tokenId, String tokenText) implements EngineClient {

    static InstantEngine over(EngineClient real) {
        int id = real.tokenizer().encode("a", false, false)[0];
        return new InstantEngine(real, id, real.tokenizer().decode(new int[] {id}, true));
    }

    @Override
    public void submit(GenerateRequest r, GenerateListener listener) {
        int n = r.sampling().maxNewTokens();
        int prompt = r.inputIds().length;
        for (int i = 1; i <= n; i++) {
            listener.onOutput(new GenerateOutput(r.rid(), new int[] {tokenId}, tokenText, List.of(), List.of(),
                    i == n ? new FinishReason.Length(n) : null, prompt, i, 0, 0));
        }
        if (n == 0) {
            listener.onOutput(new GenerateOutput(r.rid(), new int[0], "", List.of(), List.of(),
                    new FinishReason.Length(0), prompt, 0, 0, 0));
        }
    }

    @Override public Tokenizer tokenizer() { return real.tokenizer(); }
    @Override public ModelInfo modelInfo() { return real.modelInfo(); }
    @Override public String applyChatTemplate(List<ChatMessage> messages, ChatTemplate.RenderOptions options) {
        return real.applyChatTemplate(messages, options);
    }
    @Override public void abort(String rid) {}
    @Override public boolean flushCache() { return true; }
    @Override public String openSession(String id, int capacity, Double timeout) { return real.openSession(id, capacity, timeout); }
    @Override public boolean closeSession(String id) { return real.closeSession(id); }
    @Override public EngineStats stats() { return real.stats(); }
    @Override public String prometheusText() { return ""; }
    @Override public void close() {}
}
