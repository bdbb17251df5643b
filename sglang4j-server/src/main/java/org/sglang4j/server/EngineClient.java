package org.sglang4j.server;

import java.util.List;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplate;
import org.sglang4j.core.chat.ChatTemplateException;
import org.sglang4j.core.chat.ChatTemplates;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.Engine;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.GenerateRequest;

/**
 * The engine as the HTTP layer uses it: the {@link Engine} methods plus chat-template rendering. An interface
 * because there are two implementations: the real engine ({@link #of(Engine)}) and the scripted engines the HTTP
 * tests drive (exact outputs, disconnects and drains without a model).
 */
public interface EngineClient extends AutoCloseable {

    Tokenizer tokenizer();

    ModelInfo modelInfo();

    /**
     * Renders a conversation with the model's chat template ({@code --chat-template}, else the model's own, else
     * ChatML). A template that cannot render the request throws {@link ChatTemplateException} (a 400).
     */
    String applyChatTemplate(List<ChatMessage> messages, ChatTemplate.RenderOptions options);

    /** @see Engine#submit */
    void submit(GenerateRequest request, GenerateListener listener);

    void abort(String rid);

    boolean flushCache();

    String openSession(String requestedId, int capacityOfStrLen, Double timeoutSeconds);

    boolean closeSession(String sessionId);

    EngineStats stats();

    String prometheusText();

    /** As {@link Engine#kvCacheResidentBytes}; -1 (unknown) for engines without a real KV pool. */
    default long kvCacheResidentBytes() {
        return -1;
    }

    @Override
    void close();

    /** The real engine; {@code chatTemplate} is the {@code --chat-template} value or null (the model's own). */
    static EngineClient of(Engine engine, String chatTemplate) {
        ChatTemplate template = ChatTemplates.forModel(chatTemplate, engine.tokenizer());
        return new EngineClient() {
            @Override public Tokenizer tokenizer() { return engine.tokenizer(); }
            @Override public ModelInfo modelInfo() { return engine.modelInfo(); }
            @Override public String applyChatTemplate(List<ChatMessage> messages, ChatTemplate.RenderOptions options) {
                return template.render(messages, options);
            }
            @Override public void submit(GenerateRequest request, GenerateListener listener) { engine.submit(request, listener); }
            @Override public void abort(String rid) { engine.abort(rid); }
            @Override public boolean flushCache() { return engine.flushCache(); }
            @Override public String openSession(String id, int capacity, Double timeout) { return engine.openSession(id, capacity, timeout); }
            @Override public boolean closeSession(String id) { return engine.closeSession(id); }
            @Override public EngineStats stats() { return engine.stats(); }
            @Override public String prometheusText() { return engine.prometheusText(); }
            @Override public long kvCacheResidentBytes() { return engine.kvCacheResidentBytes(); }
            @Override public void close() { engine.close(); }
        };
    }
}
