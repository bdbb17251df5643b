package org.sglang4j.server;

import java.util.List;
import java.util.Map;
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
     * Renders chat messages (OpenAI shapes as maps, tool-call arguments already parsed to objects) with the
     * model's chat template; {@code tools} is null when the request has none.
     */
    String applyChatTemplate(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
                             boolean addGenerationPrompt);

    /** @see Engine#submit */
    void submit(GenerateRequest request, GenerateListener listener);

    void abort(String rid);

    boolean flushCache();

    String openSession(String requestedId, int capacityOfStrLen, Double timeoutSeconds);

    boolean closeSession(String sessionId);

    EngineStats stats();

    String prometheusText();

    @Override
    void close();

    static EngineClient of(Engine engine) {
        return new EngineClient() {
            @Override public Tokenizer tokenizer() { return engine.tokenizer(); }
            @Override public ModelInfo modelInfo() { return engine.modelInfo(); }
            @Override public String applyChatTemplate(List<Map<String, Object>> messages,
                                                      List<Map<String, Object>> tools, boolean addGenerationPrompt) {
                // TODO(issue 3): render through core.chat once the chat-template renderer lands on main.
                throw new UnsupportedOperationException("chat templates are not available yet (core.chat)");
            }
            @Override public void submit(GenerateRequest request, GenerateListener listener) { engine.submit(request, listener); }
            @Override public void abort(String rid) { engine.abort(rid); }
            @Override public boolean flushCache() { return engine.flushCache(); }
            @Override public String openSession(String id, int capacity, Double timeout) { return engine.openSession(id, capacity, timeout); }
            @Override public boolean closeSession(String id) { return engine.closeSession(id); }
            @Override public EngineStats stats() { return engine.stats(); }
            @Override public String prometheusText() { return engine.prometheusText(); }
            @Override public void close() { engine.close(); }
        };
    }
}
