package org.sglang4j.bench.serving;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming APIs {@code bench serving} speaks: request JSON out, {@link StreamChunk}s in. Every request is
 * greedy (temperature 0) and streamed; usage is asked for where the API has a switch for it.
 * <ul>
 *   <li>{@code sglang4j}: SGLang's native {@code POST /generate}; events carry the cumulative {@code text} and
 *       {@code meta_info} ({@code prompt_tokens}, {@code completion_tokens}, {@code cached_tokens});</li>
 *   <li>{@code openai}: {@code POST /v1/completions}; {@code choices[0].text} deltas, {@code usage} (with
 *       {@code prompt_tokens_details.cached_tokens}) in the last event;</li>
 *   <li>{@code openai-chat}: {@code POST /v1/chat/completions}; {@code choices[0].delta.content};</li>
 *   <li>{@code llama.cpp}: llama-server's native {@code POST /completion}; {@code content} deltas with their
 *       {@code tokens}, {@code timings} and {@code tokens_evaluated} in the last event.</li>
 * </ul>
 * llama.cpp reports no cached-token count as such; its {@code timings.prompt_n} is the number of prompt tokens it
 * actually computed, so cached = prompt tokens − prompt_n, on its native and its OpenAI endpoints alike.
 */
public enum Backend {
    SGLANG4J("sglang4j", "/generate"),
    OPENAI("openai", "/v1/completions"),
    OPENAI_CHAT("openai-chat", "/v1/chat/completions"),
    LLAMA_CPP("llama.cpp", "/completion");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public final String cliName;
    public final String path;

    Backend(String cliName, String path) {
        this.cliName = cliName;
        this.path = path;
    }

    public static Backend of(String name) {
        for (Backend b : values()) if (b.cliName.equals(name.toLowerCase(Locale.ROOT))) return b;
        throw new IllegalArgumentException("unknown --backend " + name + " (use sglang4j, openai, openai-chat or llama.cpp)");
    }

    /** The request body for {@code r}; {@code model} is the served model name for the OpenAI APIs. */
    public String body(GenerationRequest r, String model) {
        ObjectNode b = JSON.createObjectNode();
        switch (this) {
            case SGLANG4J -> {
                b.put("text", r.text());
                ObjectNode sp = b.putObject("sampling_params");
                sp.put("max_new_tokens", r.maxTokens()).put("temperature", 0.0).put("ignore_eos", r.ignoreEos());
                if (r.jsonSchema() != null) sp.put("json_schema", r.jsonSchema());
                b.put("stream", true);
            }
            case OPENAI, OPENAI_CHAT -> {
                b.put("model", model);
                if (this == OPENAI) {
                    b.put("prompt", r.text());
                } else {
                    var msgs = b.putArray("messages");
                    r.messages().forEach(m -> msgs.addObject().put("role", m.role()).put("content", m.content()));
                }
                b.put("max_tokens", r.maxTokens()).put("temperature", 0.0).put("stream", true);
                b.putObject("stream_options").put("include_usage", true);
                if (r.ignoreEos()) b.put("ignore_eos", true);
                if (r.jsonSchema() != null) {
                    ObjectNode rf = b.putObject("response_format").put("type", "json_schema");
                    rf.putObject("json_schema").put("name", "bench").set("schema", JSON.readTree(r.jsonSchema()));
                }
            }
            case LLAMA_CPP -> {
                b.put("prompt", r.text()).put("n_predict", r.maxTokens()).put("temperature", 0.0)
                        .put("stream", true).put("ignore_eos", r.ignoreEos());
                if (r.jsonSchema() != null) b.set("json_schema", JSON.readTree(r.jsonSchema()));
            }
        }
        if (!r.cachePrompt()) b.put("cache_prompt", false);
        return JSON.writeValueAsString(b);
    }

    /**
     * Parses one SSE {@code data:} payload; {@code textSoFar} is the text received before it (the native
     * {@code /generate} stream sends the cumulative text). Returns null for {@code [DONE]}.
     */
    StreamChunk parse(String payload, String textSoFar) {
        if (payload.equals("[DONE]")) return null;
        JsonNode n = JSON.readTree(payload);
        if (n.has("error")) {
            JsonNode e = n.get("error");
            return new StreamChunk("", 0, -1, -1, -1, true, e.isObject() ? e.path("message").asString(e.toString()) : e.toString());
        }
        return switch (this) {
            case SGLANG4J -> {
                String text = n.path("text").asString("");
                String delta = text.startsWith(textSoFar) ? text.substring(textSoFar.length()) : text;
                JsonNode meta = n.path("meta_info");
                boolean done = meta.hasNonNull("finish_reason");
                yield new StreamChunk(delta, -1, meta.path("prompt_tokens").asInt(-1),
                        meta.path("completion_tokens").asInt(-1), meta.path("cached_tokens").asInt(-1), done, null);
            }
            case OPENAI, OPENAI_CHAT -> {
                JsonNode choice = n.path("choices").path(0);
                String delta = this == OPENAI ? choice.path("text").asString("")
                        : choice.path("delta").path("content").asString("");
                JsonNode usage = n.path("usage");
                int prompt = usage.path("prompt_tokens").asInt(-1);
                int cached = usage.path("prompt_tokens_details").path("cached_tokens").asInt(-1);
                if (cached < 0 && prompt >= 0 && n.path("timings").has("prompt_n")) {
                    cached = prompt - n.path("timings").path("prompt_n").asInt();
                }
                boolean done = !usage.isMissingNode() && !usage.isNull() || choice.hasNonNull("finish_reason");
                yield new StreamChunk(delta, -1, prompt, usage.path("completion_tokens").asInt(-1), cached, done, null);
            }
            case LLAMA_CPP -> {
                boolean stop = n.path("stop").asBoolean(false);
                int prompt = n.path("tokens_evaluated").asInt(-1);
                int cached = -1;
                if (stop && prompt >= 0 && n.path("timings").has("prompt_n")) {
                    cached = prompt - n.path("timings").path("prompt_n").asInt();
                }
                int newTokens = n.has("tokens") ? n.get("tokens").size() : -1;
                yield new StreamChunk(n.path("content").asString(""), stop && newTokens == 0 ? 0 : newTokens,
                        stop ? prompt : -1, stop ? n.path("tokens_predicted").asInt(-1) : -1, cached, stop, null);
            }
        };
    }
}
