package org.sglang4j.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplate;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.InvalidRequestException;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.server.http.Json;

/**
 * An engine that "generates" a scripted reply, one UTF-8 character (its bytes as tokens) per output event, on its
 * own thread, honouring max_new_tokens, stop strings, aborts and a context limit like the real engine's contract.
 * It records what it was asked, so tests can check the server's mapping from HTTP to {@link GenerateRequest}.
 * Cached tokens: the longest common prefix with any earlier prompt (a perfect radix cache).
 */
final class ScriptedEngine implements EngineClient {

    final ByteTokenizer tokenizer = new ByteTokenizer();
    final List<GenerateRequest> submitted = new CopyOnWriteArrayList<>();
    final Set<String> aborted = ConcurrentHashMap.newKeySet();
    final Set<String> running = ConcurrentHashMap.newKeySet();
    final List<int[]> seenPrompts = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    volatile Function<GenerateRequest, String> reply = r -> "Hello!";
    volatile long tokenDelayMillis;
    volatile boolean closed;
    int contextLength = 512;

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public ModelInfo modelInfo() {
        return new ModelInfo("scripted-model", null, "scripted", "llama", "f32", contextLength, tokenizer.vocabSize(),
                1 << 20, 4096, 2 << 20, 64, false);
    }

    @Override
    public String applyChatTemplate(List<ChatMessage> messages, ChatTemplate.RenderOptions options) {
        // ChatML, with tools and earlier calls shown as JSON so tests can see what reached the template.
        StringBuilder sb = new StringBuilder();
        if (options.tools() != null) sb.append("<|im_start|>system\n# Tools\n").append(Json.write(options.tools())).append("<|im_end|>\n");
        for (ChatMessage m : messages) {
            sb.append("<|im_start|>").append(m.role()).append('\n').append(m.content() == null ? "" : m.content());
            if (!m.toolCalls().isEmpty()) sb.append(Json.write(m.toolCalls()));
            if (m.toolCallId() != null) sb.append(" (").append(m.toolCallId()).append(')');
            sb.append("<|im_end|>\n");
        }
        if (options.addGenerationPrompt()) sb.append("<|im_start|>assistant\n");
        if (!options.extra().isEmpty()) sb.append(Json.write(options.extra()));
        return sb.toString();
    }

    @Override
    public void submit(GenerateRequest req, GenerateListener listener) {
        if (req.inputIds().length >= contextLength) {
            throw new InvalidRequestException(400, "text", "input of " + req.inputIds().length
                    + " tokens is longer than the context (" + contextLength + ")");
        }
        if (req.sampling().constraint() instanceof Constraint.Regex r && r.pattern().equals("(")) {
            throw new InvalidRequestException(400, "regex", "invalid regex '(': missing )");
        }
        submitted.add(req);
        int cached = cachedPrefix(req.inputIds());
        seenPrompts.add(req.inputIds());
        running.add(req.rid());
        String text = req.sampling().maxNewTokens() == 0 ? "" : reply.apply(req);
        Thread.ofVirtual().start(() -> generate(req, text, cached, listener));
    }

    private int cachedPrefix(int[] ids) {
        int best = 0;
        for (int[] p : seenPrompts) {
            int k = 0;
            while (k < Math.min(p.length, ids.length) - 1 && p[k] == ids[k]) k++;
            best = Math.max(best, k);
        }
        return best;
    }

    private void generate(GenerateRequest req, String text, int cached, GenerateListener listener) {
        var sp = req.sampling();
        FinishReason finish = new FinishReason.MatchedToken(ByteTokenizer.EOS);
        for (String stop : sp.stop()) {
            int at = text.indexOf(stop);
            if (at >= 0) {
                text = sp.noStopTrim() ? text.substring(0, at + stop.length()) : text.substring(0, at);
                finish = new FinishReason.MatchedString(stop);
                break;
            }
        }
        int produced = 0;
        int[] cps = text.codePoints().toArray();
        for (int i = 0; ; i++) {
            sleep();
            if (aborted.contains(req.rid())) {
                done(listener, out(req, new int[0], "", List.of(), new FinishReason.Abort("Abort request " + req.rid(), 499), produced, cached));
                return;
            }
            if (i == cps.length || produced >= sp.maxNewTokens()) {
                FinishReason f = produced >= sp.maxNewTokens() && i < cps.length || sp.maxNewTokens() == 0
                        ? new FinishReason.Length(sp.maxNewTokens()) : finish;
                done(listener, out(req, new int[0], "", List.of(), f, produced, cached));
                return;
            }
            String ch = new String(Character.toChars(cps[i]));
            int[] ids = tokenizer.encode(ch, false, false);
            boolean whole = produced + ids.length <= sp.maxNewTokens();
            // A character cut by max_new_tokens: its bytes count as tokens, but partial UTF-8 is not text yet.
            if (!whole) ids = Arrays.copyOf(ids, sp.maxNewTokens() - produced);
            produced += ids.length;
            List<TokenLogprob> lps = new ArrayList<>();
            if (req.returnLogprob()) {
                for (int id : ids) {
                    int k = req.topLogprobsNum();
                    int[] top = new int[k];
                    float[] topLp = new float[k];
                    for (int t = 0; t < k; t++) {
                        top[t] = t == 0 ? id : 'a' + t;
                        topLp[t] = -0.25f * (t + 1);
                    }
                    lps.add(new TokenLogprob(id, -0.25f, k == 0 ? null : top, k == 0 ? null : topLp));
                }
            }
            listener.onOutput(out(req, ids, whole ? ch : "", lps, null, produced, cached));
        }
    }

    private void done(GenerateListener listener, GenerateOutput o) {
        running.remove(o.rid());
        listener.onOutput(o);
    }

    private GenerateOutput out(GenerateRequest req, int[] ids, String text, List<TokenLogprob> lps, FinishReason f,
                               int produced, int cached) {
        List<TokenLogprob> input = List.of();
        return new GenerateOutput(req.rid(), ids, text, input, lps, f, req.inputIds().length, produced, cached, 0);
    }

    private void sleep() {
        if (tokenDelayMillis == 0) return;
        try {
            Thread.sleep(tokenDelayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void abort(String rid) {
        aborted.add(rid);
    }

    @Override
    public boolean flushCache() {
        if (!running.isEmpty()) return false;
        seenPrompts.clear();
        return true;
    }

    @Override
    public String openSession(String requestedId, int capacityOfStrLen, Double timeoutSeconds) {
        String id = requestedId != null ? requestedId : UUID.randomUUID().toString().replace("-", "");
        if (sessions.putIfAbsent(id, true) != null) throw new InvalidRequestException(400, "session_id", "session " + id + " is already open");
        return id;
    }

    @Override
    public boolean closeSession(String sessionId) {
        return sessions.remove(sessionId) != null;
    }

    @Override
    public EngineStats stats() {
        return new EngineStats(running.size(), 0, 0, 0, 4096, 0, 0.5, 0, 0);
    }

    @Override
    public String prometheusText() {
        return "# HELP sglang:num_running_reqs The number of running requests.\n# TYPE sglang:num_running_reqs gauge\n"
                + "sglang:num_running_reqs{model_name=\"scripted\"} " + running.size() + "\n";
    }

    @Override
    public void close() {
        closed = true;
    }
}
