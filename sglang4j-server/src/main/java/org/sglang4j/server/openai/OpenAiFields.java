package org.sglang4j.server.openai;

import java.util.List;
import java.util.function.UnaryOperator;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.server.generate.GenerateReqInput;
import org.sglang4j.server.generate.SamplingParamsJson;
import org.sglang4j.server.http.ApiException;
import org.sglang4j.server.http.JsonFields;
import tools.jackson.databind.JsonNode;

/**
 * Request fields shared by {@code /v1/completions} and {@code /v1/chat/completions}: OpenAI's sampling fields with
 * OpenAI's ranges, SGLang's extras ({@code top_k}, {@code min_p}, {@code regex}, …), {@code response_format},
 * {@code stream_options}. Unknown fields are ignored, as OpenAI-compatible servers do (SDKs add new ones often).
 */
final class OpenAiFields {

    /** OpenAI's limit on top_logprobs. */
    static final int MAX_TOP_LOGPROBS = 20;
    static final int MAX_N = 128;

    /** Maps SGLang names in validation messages back to the OpenAI names the client used. */
    static final UnaryOperator<String> RENAME = name -> switch (name) {
        case "max_new_tokens" -> "max_tokens";
        case "min_new_tokens" -> "min_tokens";
        case "sampling_seed" -> "seed";
        default -> name;
    };

    private OpenAiFields() {}

    /** Everything but the token budget, which depends on the prompt length. */
    static SamplingParams.Builder sampling(JsonFields f, int vocabSize) {
        SamplingParams.Builder b = SamplingParams.builder();
        Float x;
        Integer i;
        Boolean z;
        if ((x = f.optFloat("temperature")) != null) {
            if (x < 0 || x > 2) throw f.bad("temperature", "must be in [0, 2]", f.get("temperature"));
            b.temperature = x;
        }
        if ((x = f.optFloat("top_p")) != null) b.topP = x;
        if ((i = f.optInt("top_k")) != null) b.topK = i;
        if ((x = f.optFloat("min_p")) != null) b.minP = x;
        if ((x = f.optFloat("presence_penalty")) != null) b.presencePenalty = x;
        if ((x = f.optFloat("frequency_penalty")) != null) b.frequencyPenalty = x;
        if ((x = f.optFloat("repetition_penalty")) != null) b.repetitionPenalty = x;
        if ((i = f.optInt("min_tokens")) != null) b.minNewTokens = i;
        if ((i = f.optInt("n")) != null) {
            if (i < 1 || i > MAX_N) throw f.bad("n", "must be in [1, " + MAX_N + "]", f.get("n"));
            b.n = i;
        }
        List<String> stop = f.optStringOrList("stop");
        if (stop != null) {
            for (String s : stop) if (s.isEmpty()) throw f.bad("stop", "stop strings must not be empty");
            b.stop = stop;
        }
        int[] stopIds = f.optIntArray("stop_token_ids");
        if (stopIds != null) {
            for (int id : stopIds) {
                if (id < 0 || id >= vocabSize) throw f.bad("stop_token_ids", "stop_token_ids contains " + id
                        + ", outside the vocabulary [0, " + vocabSize + ")");
            }
            b.stopTokenIds = stopIds;
        }
        if ((z = f.optBool("ignore_eos")) != null) b.ignoreEos = z;
        if ((z = f.optBool("no_stop_trim")) != null) b.noStopTrim = z;
        if ((z = f.optBool("skip_special_tokens")) != null) b.skipSpecialTokens = z;
        if ((z = f.optBool("spaces_between_special_tokens")) != null) b.spacesBetweenSpecialTokens = z;
        var bias = SamplingParamsJson.logitBias(f, "logit_bias", vocabSize);
        if (bias != null) {
            for (var e : bias.entrySet()) {
                if (e.getValue() < -100 || e.getValue() > 100) {
                    throw f.bad("logit_bias", "logit_bias values must be in [-100, 100], got " + e.getValue()
                            + " for token " + e.getKey());
                }
            }
            b.logitBias = bias;
        }
        Long seed = f.optLong("seed");
        if (seed != null) b.seed = seed;
        return b;
    }

    /**
     * The output budget: {@code max_completion_tokens} (chat's current name) over {@code max_tokens}; null when
     * neither is given.
     */
    static Integer maxTokens(JsonFields f) {
        Integer v = f.optInt("max_completion_tokens");
        String name = "max_completion_tokens";
        if (v == null) {
            v = f.optInt("max_tokens");
            name = "max_tokens";
        }
        if (v != null && v < 0) throw f.bad(name, "must be >= 0", f.get(name));
        return v;
    }

    /**
     * The constraint from SGLang's extras ({@code regex}, {@code json_schema}, {@code ebnf}, {@code choices}) or
     * {@code response_format}; more than one is a 400 rather than a silent pick.
     */
    static Constraint constraint(JsonFields f) {
        Constraint extra = SamplingParamsJson.constraint(f);
        Constraint format = responseFormat(f);
        if (extra != null && format != null) {
            throw f.bad("response_format", "response_format cannot be combined with regex / json_schema / ebnf / choices");
        }
        return extra != null ? extra : format;
    }

    /** {@code text} → none; {@code json_object} → any JSON object; {@code json_schema} → its schema. */
    static Constraint responseFormat(JsonFields f) {
        JsonFields rf = f.optObject("response_format");
        if (rf == null) return null;
        String type = rf.optString("type");
        if (type == null) throw rf.bad("type", "response_format.type is required (text, json_object or json_schema)");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> new Constraint.JsonObject();
            case "json_schema" -> {
                JsonFields js = rf.optObject("json_schema");
                // OpenAI nests the schema in json_schema.schema; SGLang also accepts a bare "schema".
                if (js != null && js.has("schema")) yield new Constraint.JsonSchema(SamplingParamsJson.schemaText(js, "schema"));
                if (rf.has("schema")) yield new Constraint.JsonSchema(SamplingParamsJson.schemaText(rf, "schema"));
                throw rf.bad("json_schema", "response_format json_schema needs json_schema.schema");
            }
            case "structural_tag" -> throw rf.bad("type", "response_format structural_tag is not supported by sglang4j");
            default -> throw rf.bad("type", "response_format.type must be text, json_object or json_schema, got \"" + type + "\"");
        };
    }

    /** {@code stream_options.include_usage}: a final chunk with usage and no choices. */
    static boolean includeUsage(JsonFields f, boolean stream) {
        JsonFields so = f.optObject("stream_options");
        if (so == null) return false;
        if (!stream) throw f.bad("stream_options", "stream_options is only allowed when stream is true");
        so.optBool("continuous_usage_stats");
        return so.getBool("include_usage", false);
    }

    static SessionParams session(JsonFields f) {
        JsonFields s = f.optObject("session_params");
        return s == null ? null : GenerateReqInput.session(s);
    }

    static SamplingParams build(SamplingParams.Builder b) {
        return SamplingParamsJson.build(b, RENAME);
    }

    /** OpenAI fields this server cannot honour: a 400 naming them beats silently different behaviour. */
    static void rejectUnsupported(JsonFields f, String... names) {
        for (String name : names) {
            JsonNode v = f.get(name);
            if (v == null) continue;
            boolean harmless = (name.equals("best_of") && v.isNumber() && v.asInt() == 1)
                    || (name.equals("suffix") && v.isString() && v.asString().isEmpty());
            if (!harmless) throw ApiException.badRequest(name, name + " is not supported by sglang4j");
        }
    }
}
