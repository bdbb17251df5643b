package org.sglang4j.server.generate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.server.http.ApiException;
import org.sglang4j.server.http.Json;
import org.sglang4j.server.http.JsonFields;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * SGLang's {@code sampling_params} object (names and defaults of {@code srt/sampling/sampling_params.py}) →
 * {@link SamplingParams}. Types are checked here; ranges by {@link SamplingParams}' own validation, whose messages
 * become 400s naming the field.
 */
public final class SamplingParamsJson {

    /** Every key SGLang accepts in {@code sampling_params} that this server implements. */
    public static final Set<String> FIELDS = Set.of("max_new_tokens", "min_new_tokens", "temperature", "top_p",
            "top_k", "min_p", "frequency_penalty", "presence_penalty", "repetition_penalty", "stop", "stop_token_ids",
            "ignore_eos", "skip_special_tokens", "spaces_between_special_tokens", "no_stop_trim", "n", "json_schema",
            "regex", "ebnf", "choices", "logit_bias", "sampling_seed", "stream_interval");

    /** SGLang keys with no implementation here: a clear 400 instead of a silent no-op. */
    static final Set<String> UNSUPPORTED = Set.of("stop_regex", "structural_tag", "custom_params");

    private SamplingParamsJson() {}

    /** Reads the fields present in {@code f} into {@code b}; {@code vocabSize} bounds token ids. */
    public static SamplingParams.Builder read(JsonFields f, SamplingParams.Builder b, int vocabSize) {
        for (String name : f.names()) {
            if (UNSUPPORTED.contains(name)) throw f.bad(name, f.pathOf(name) + " is not supported by sglang4j");
            if (!FIELDS.contains(name)) throw f.bad(name, "unknown field '" + f.pathOf(name) + "'");
        }
        Integer i;
        Float x;
        Boolean z;
        if ((i = f.optInt("max_new_tokens")) != null) b.maxNewTokens = i;
        if ((i = f.optInt("min_new_tokens")) != null) b.minNewTokens = i;
        if ((x = f.optFloat("temperature")) != null) b.temperature = x;
        if ((x = f.optFloat("top_p")) != null) b.topP = x;
        if ((i = f.optInt("top_k")) != null) b.topK = i;
        if ((x = f.optFloat("min_p")) != null) b.minP = x;
        if ((x = f.optFloat("frequency_penalty")) != null) b.frequencyPenalty = x;
        if ((x = f.optFloat("presence_penalty")) != null) b.presencePenalty = x;
        if ((x = f.optFloat("repetition_penalty")) != null) b.repetitionPenalty = x;
        List<String> stop = f.optStringOrList("stop");
        if (stop != null) b.stop = stop;
        int[] ids = f.optIntArray("stop_token_ids");
        if (ids != null) b.stopTokenIds = checkTokenIds(f, "stop_token_ids", ids, vocabSize);
        if ((z = f.optBool("ignore_eos")) != null) b.ignoreEos = z;
        if ((z = f.optBool("skip_special_tokens")) != null) b.skipSpecialTokens = z;
        if ((z = f.optBool("spaces_between_special_tokens")) != null) b.spacesBetweenSpecialTokens = z;
        if ((z = f.optBool("no_stop_trim")) != null) b.noStopTrim = z;
        if ((i = f.optInt("n")) != null) b.n = i;
        Map<Integer, Float> bias = logitBias(f, "logit_bias", vocabSize);
        if (bias != null) b.logitBias = bias;
        Long seed = f.optLong("sampling_seed");
        if (seed != null) b.seed = seed;
        // Every chunk is sent as soon as the engine produces it; stream_interval is validated and otherwise moot.
        Integer interval = f.optInt("stream_interval");
        if (interval != null && interval < 1) throw f.bad("stream_interval", "must be >= 1", f.get("stream_interval"));
        Constraint c = constraint(f);
        if (c != null) b.constraint = c;
        return b;
    }

    /**
     * The request's constraint from {@code regex} / {@code json_schema} / {@code ebnf} / {@code choices}; at most
     * one may be set (SGLang rejects combinations too). Null when none is.
     */
    public static Constraint constraint(JsonFields f) {
        Constraint found = null;
        String foundName = null;
        for (String name : List.of("regex", "json_schema", "ebnf", "choices")) {
            if (!f.has(name)) continue;
            Constraint c = switch (name) {
                case "regex" -> new Constraint.Regex(f.optString(name));
                case "ebnf" -> new Constraint.Ebnf(f.optString(name));
                case "json_schema" -> new Constraint.JsonSchema(schemaText(f, name));
                default -> choices(f, name);
            };
            if (found != null) {
                throw f.bad(name, "only one of regex, json_schema, ebnf and choices may be set, got both "
                        + f.pathOf(foundName) + " and " + f.pathOf(name));
            }
            found = c;
            foundName = name;
        }
        return found;
    }

    /** A JSON schema given as JSON text (SGLang's form) or inline as an object (accepted for convenience). */
    public static String schemaText(JsonFields f, String name) {
        JsonNode v = f.get(name);
        if (v.isObject()) return Json.write(v);
        if (!v.isString()) throw f.bad(name, "must be a JSON schema (a string or an object)", v);
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(v.asString());
        } catch (JacksonException e) {
            throw f.bad(name, f.pathOf(name) + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !(parsed.isObject() || parsed.isBoolean())) {
            throw f.bad(name, f.pathOf(name) + " must be a JSON schema object, got " + JsonFields.describe(parsed));
        }
        return v.asString();
    }

    private static Constraint choices(JsonFields f, String name) {
        List<String> list = f.optStringList(name);
        if (list.isEmpty()) throw f.bad(name, f.pathOf(name) + " must list at least one string");
        return new Constraint.Choices(list);
    }

    /** {@code {"token id": bias}}: ids must be integers below the vocabulary size, biases finite. */
    public static Map<Integer, Float> logitBias(JsonFields f, String name, int vocabSize) {
        Map<String, Double> raw = f.optNumberMap(name);
        if (raw == null) return null;
        Map<Integer, Float> out = new HashMap<>();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            int id;
            try {
                id = Integer.parseInt(e.getKey().trim());
            } catch (NumberFormatException ex) {
                throw f.bad(name, f.pathOf(name) + " keys must be token ids, got \"" + e.getKey() + "\"");
            }
            if (id < 0 || id >= vocabSize) {
                throw f.bad(name, f.pathOf(name) + " token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
            }
            out.put(id, e.getValue().floatValue());
        }
        return out;
    }

    static int[] checkTokenIds(JsonFields f, String name, int[] ids, int vocabSize) {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw f.bad(name, f.pathOf(name) + " token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        return ids;
    }

    /**
     * Validates and builds. {@link SamplingParams} messages start with the SGLang field name; {@code rename} maps
     * it to what the client sent (e.g. {@code sampling_params.max_new_tokens}, or {@code max_tokens} for OpenAI).
     */
    public static SamplingParams build(SamplingParams.Builder b, UnaryOperator<String> rename) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            int sp = msg.indexOf(' ');
            String field = sp > 0 ? msg.substring(0, sp) : null;
            if (field != null && field.matches("[a-z_]+")) {
                String param = rename.apply(field);
                throw ApiException.badRequest(param, param + msg.substring(sp));
            }
            throw ApiException.badRequest(null, msg);
        }
    }
}
