package org.sglang4j.server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplate;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.GenerateRequest;

/** The real engine with a window: which rids the server aborted and how each request finished. */
final class RecordingEngine implements EngineClient {

    final EngineClient real;
    final Set<String> aborted = ConcurrentHashMap.newKeySet();
    final Map<String, FinishReason> finished = new ConcurrentHashMap<>();
    final Map<String, Integer> completionTokens = new ConcurrentHashMap<>();

    RecordingEngine(EngineClient real) {
        this.real = real;
    }

    @Override public Tokenizer tokenizer() { return real.tokenizer(); }
    @Override public ModelInfo modelInfo() { return real.modelInfo(); }
    @Override public String applyChatTemplate(List<ChatMessage> messages, ChatTemplate.RenderOptions options) {
        return real.applyChatTemplate(messages, options);
    }

    @Override
    public void submit(GenerateRequest request, GenerateListener listener) {
        real.submit(request, o -> {
            if (o.finished()) {
                finished.put(o.rid(), o.finishReason());
                completionTokens.put(o.rid(), o.completionTokens());
            }
            listener.onOutput(o);
        });
    }

    @Override
    public void abort(String rid) {
        aborted.add(rid);
        real.abort(rid);
    }

    @Override public boolean flushCache() { return real.flushCache(); }
    @Override public String openSession(String id, int capacity, Double timeout) { return real.openSession(id, capacity, timeout); }
    @Override public boolean closeSession(String id) { return real.closeSession(id); }
    @Override public EngineStats stats() { return real.stats(); }
    @Override public String prometheusText() { return real.prometheusText(); }
    @Override public void close() { real.close(); }
}
