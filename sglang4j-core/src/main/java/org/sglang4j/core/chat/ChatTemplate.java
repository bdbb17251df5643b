package org.sglang4j.core.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * A model's chat template (Jinja source) ready to render conversations into prompt text, with the variables
 * Hugging Face's {@code apply_chat_template} provides: {@code messages}, {@code tools}, {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, plus any extra keyword arguments (e.g. {@code enable_thinking}). Syntax errors
 * surface when the template is created; a template that raises, or cannot render a request, throws
 * {@link ChatTemplateException}. Immutable and thread-safe.
 *
 * <p>The rendered prompt already holds the model's BOS and role tokens, so it is tokenized like Hugging Face's
 * {@code apply_chat_template(tokenize=True)} does: {@code tokenizer.encode(prompt, false, true)} (no extra BOS,
 * special tokens parsed).
 */
public final class ChatTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per-request rendering options. {@code tools} are OpenAI-style tool definitions; {@code extra} more variables. */
    public record RenderOptions(boolean addGenerationPrompt, List<Map<String, Object>> tools, Map<String, Object> extra) {
        public RenderOptions {
            tools = tools == null ? null : List.copyOf(tools);
            extra = extra == null ? Map.of() : Map.copyOf(extra);
        }

        public static RenderOptions generationPrompt() { return new RenderOptions(true, null, Map.of()); }
    }

    private final String name;
    private final String source;
    private final String compiled; // source after JinjaCompat's rewrites
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;
    private final Jinjava jinjava;

    /**
     * {@code name} is for messages (a built-in name or a file); {@code bosToken}/{@code eosToken} are the
     * model's special token texts (empty when it has none).
     */
    public ChatTemplate(String name, String source, String bosToken, String eosToken, Clock clock) {
        if (source == null || source.isBlank()) throw new ChatTemplateException("chat template " + name + " is empty");
        this.name = name;
        this.source = source;
        this.compiled = JinjaCompat.rewrite(source);
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.clock = clock;
        this.jinjava = TemplateEnvironment.create();
        JinjavaInterpreter interpreter = jinjava.newInterpreter();
        interpreter.parse(compiled);
        for (TemplateError e : interpreter.getErrorsCopy()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException("chat template " + name + " does not compile (line " + e.getLineno()
                        + "): " + e.getMessage());
            }
        }
    }

    public ChatTemplate(String name, String source, String bosToken, String eosToken) {
        this(name, source, bosToken, eosToken, Clock.systemDefaultZone());
    }

    public String name() { return name; }

    public String source() { return source; }

    /** Renders the conversation to the prompt text. */
    public String render(List<ChatMessage> messages, RenderOptions options) {
        Map<String, Object> ctx = new HashMap<>(options.extra());
        ctx.put("messages", messagesForTemplate(messages));
        ctx.put("tools", options.tools());
        ctx.put("add_generation_prompt", options.addGenerationPrompt());
        ctx.put("bos_token", bosToken);
        ctx.put("eos_token", eosToken);
        ctx.put(TemplateEnvironment.NOW, ZonedDateTime.now(clock));
        RenderResult result;
        try {
            result = jinjava.renderForResult(compiled, ctx);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("chat template " + name + " failed: " + e.getMessage(), e);
        }
        for (TemplateError e : result.getErrors()) {
            Throwable raised = findRaised(e.getException());
            if (raised != null) throw new ChatTemplateException(raised.getMessage());
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException("chat template " + name + " failed at line " + e.getLineno() + ": "
                        + e.getMessage());
            }
        }
        return result.getOutput();
    }

    private static Throwable findRaised(Throwable t) {
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof TemplateEnvironment.TemplateRaised) return t;
        }
        return null;
    }

    /** Messages as the plain dicts and lists a Python template expects; tool-call arguments parsed from JSON. */
    static List<Map<String, Object>> messagesForTemplate(List<ChatMessage> messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("role", m.role());
            d.put("content", m.content());
            if (!m.toolCalls().isEmpty()) {
                List<Map<String, Object>> calls = new ArrayList<>();
                for (ToolCall c : m.toolCalls()) {
                    Map<String, Object> fn = new LinkedHashMap<>();
                    fn.put("name", c.name());
                    fn.put("arguments", arguments(c.arguments()));
                    Map<String, Object> call = new LinkedHashMap<>();
                    if (c.id() != null) call.put("id", c.id());
                    call.put("type", "function");
                    call.put("function", fn);
                    calls.add(call);
                }
                d.put("tool_calls", calls);
            }
            if (m.toolCallId() != null) d.put("tool_call_id", m.toolCallId());
            if (m.name() != null) d.put("name", m.name());
            d.putAll(m.extra());
            out.add(d);
        }
        return out;
    }

    /** JSON-string arguments become a map (as SGLang does before templating); anything unparsable stays text. */
    private static Object arguments(Object args) {
        if (!(args instanceof String s)) return args == null ? Map.of() : args;
        try {
            Object parsed = JSON.readValue(s, Object.class);
            return parsed instanceof Map<?, ?> ? parsed : s;
        } catch (JacksonException e) {
            return s;
        }
    }
}
