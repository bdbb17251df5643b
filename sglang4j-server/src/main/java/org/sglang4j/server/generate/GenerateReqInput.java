package org.sglang4j.server.generate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.server.http.ApiException;
import org.sglang4j.server.http.JsonFields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed {@code POST /generate} body (SGLang {@code GenerateReqInput}): every top-level field may be a scalar
 * (one request) or a list (a batch); {@code text} / {@code input_ids} decide the batch size. Also accepts the shape
 * of the case study's curl call: {@code prompt} for {@code text}, and sampling fields such as {@code regex} at the top
 * level instead of inside {@code sampling_params}.
 *
 * @param items             one per engine request, prompt-major: item {@code p * n + j} is sample j of prompt p
 * @param batch             the response is a list (a batch, or n > 1)
 * @param parallelSampleNum SGLang's {@code n}
 */
public record GenerateReqInput(List<Item> items, boolean batch, boolean stream, boolean logMetrics,
                               boolean returnTextInLogprobs, int parallelSampleNum) {

    /**
     * One engine request; exactly one of {@code text} / {@code inputIds} is set.
     *
     * @param maxNewTokensExplicit the client set max_new_tokens (else the default may be shortened to fit)
     */
    public record Item(String rid, String text, int[] inputIds, SamplingParams sampling, boolean maxNewTokensExplicit,
                       boolean returnLogprob, int logprobStartLen, int topLogprobsNum, SessionParams session) {}

    static final Set<String> FIELDS = Set.of("text", "prompt", "input_ids", "sampling_params", "rid", "stream",
            "return_logprob", "logprob_start_len", "top_logprobs_num", "return_text_in_logprobs", "session_params",
            "log_metrics");

    /** SGLang fields this server does not implement: named in a 400 rather than ignored. */
    static final Set<String> UNSUPPORTED = Set.of("input_embeds", "image_data", "video_data", "audio_data",
            "token_ids_logprob", "return_hidden_states", "lora_path", "lora_id", "custom_logit_processor",
            "bootstrap_host", "bootstrap_port", "bootstrap_room", "data_parallel_rank", "extra_key", "cache_salt",
            "priority", "routing_key", "session_id", "require_reasoning", "max_thinking_tokens", "return_entropy",
            "custom_labels", "modalities");

    public static GenerateReqInput parse(JsonNode body, int vocabSize) {
        JsonFields f = JsonFields.of(body, "");
        for (String name : f.names()) {
            if (UNSUPPORTED.contains(name) && f.has(name)) throw f.bad(name, name + " is not supported by sglang4j");
            if (!FIELDS.contains(name) && !SamplingParamsJson.FIELDS.contains(name) && !UNSUPPORTED.contains(name)) {
                throw f.bad(name, "unknown field '" + name + "'");
            }
        }
        if (f.has("text") && f.has("prompt")) throw f.bad("prompt", "give either text or prompt (an alias of text), not both");
        String textField = f.has("prompt") ? "prompt" : "text";
        boolean hasText = f.has(textField);
        boolean hasIds = f.has("input_ids");
        if (hasText == hasIds) {
            throw ApiException.badRequest(hasText ? "input_ids" : "text",
                    hasText ? "give either text or input_ids, not both" : "the request needs text (or prompt) or input_ids");
        }

        // Prompts: a string or list of strings; a list of ints or a list of lists of ints.
        List<String> texts = null;
        List<int[]> idLists = null;
        boolean batch;
        if (hasText) {
            JsonNode t = f.get(textField);
            batch = t.isArray();
            texts = f.optStringOrList(textField);
        } else {
            JsonNode ids = f.get("input_ids");
            if (!ids.isArray()) throw f.bad("input_ids", "must be a list of token ids or a list of such lists", ids);
            batch = !ids.isEmpty() && ids.get(0).isArray();
            idLists = new ArrayList<>();
            if (batch) for (int i = 0; i < ids.size(); i++) idLists.add(JsonFields.toIntArray(ids.get(i), "input_ids[" + i + "]"));
            else idLists.add(JsonFields.toIntArray(ids, "input_ids"));
        }
        int prompts = hasText ? texts.size() : idLists.size();
        if (prompts == 0) throw f.bad(hasText ? textField : "input_ids", "the batch is empty");
        if (hasIds) {
            for (int i = 0; i < prompts; i++) {
                for (int id : idLists.get(i)) {
                    if (id < 0 || id >= vocabSize) {
                        throw f.bad("input_ids", "input_ids contains token id " + id + ", outside the vocabulary [0, " + vocabSize + ")");
                    }
                }
            }
        }

        // Sampling fields given at the top level apply to every prompt.
        ObjectNode topLevel = (ObjectNode) f.node().deepCopy();
        topLevel.retain(SamplingParamsJson.FIELDS);
        JsonFields top = JsonFields.of(topLevel, "");

        List<JsonNode> sp = perPrompt(f, "sampling_params", prompts, JsonNode::isObject, "an object");
        List<JsonNode> rids = perPrompt(f, "rid", prompts, JsonNode::isString, "a string");
        List<JsonNode> retLp = perPrompt(f, "return_logprob", prompts, JsonNode::isBoolean, "true or false");
        List<JsonNode> startLen = perPrompt(f, "logprob_start_len", prompts, JsonNode::isNumber, "an integer");
        List<JsonNode> topNum = perPrompt(f, "top_logprobs_num", prompts, JsonNode::isNumber, "an integer");
        List<JsonNode> sessions = perPrompt(f, "session_params", prompts, JsonNode::isObject, "an object");

        List<Item> items = new ArrayList<>();
        int n = -1;
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < prompts; p++) {
            String at = batch ? "[" + p + "]" : "";
            SamplingParams.Builder b = SamplingParams.builder();
            SamplingParamsJson.read(top, b, vocabSize);
            JsonNode spNode = sp.get(p);
            if (spNode != null) {
                JsonFields spf = JsonFields.of(spNode, "sampling_params" + at);
                for (String k : spf.names()) {
                    if (top.has(k)) throw spf.bad(k, k + " is given both at the top level and in sampling_params");
                }
                SamplingParamsJson.read(spf, b, vocabSize);
            }
            String spPath = spNode != null ? "sampling_params" + at : "";
            boolean explicitMax = top.has("max_new_tokens")
                    || (spNode != null && spNode.has("max_new_tokens") && !spNode.get("max_new_tokens").isNull());
            SamplingParams params = SamplingParamsJson.build(b, name -> spPath.isEmpty() ? name : spPath + "." + name);
            if (n == -1) n = params.n();
            else if (n != params.n()) throw ApiException.badRequest("sampling_params" + at + ".n", "all prompts of a batch must use the same n");

            String rid = rids.get(p) != null ? rids.get(p).asString()
                    : f.has("rid") && batch ? f.optString("rid") + "_" + p : null;
            boolean returnLogprob = retLp.get(p) != null && retLp.get(p).asBoolean();
            int logprobStart = startLen.get(p) == null ? -1 : JsonFields.toInt(startLen.get(p), "logprob_start_len" + at);
            if (logprobStart < -1) throw ApiException.badRequest("logprob_start_len", "logprob_start_len must be >= -1, got " + logprobStart);
            int topLogprobs = topNum.get(p) == null ? 0 : JsonFields.toInt(topNum.get(p), "top_logprobs_num" + at);
            if (topLogprobs < 0 || topLogprobs > vocabSize) {
                throw ApiException.badRequest("top_logprobs_num", "top_logprobs_num must be in [0, " + vocabSize + "], got " + topLogprobs);
            }
            SessionParams session = sessions.get(p) == null ? null : session(JsonFields.of(sessions.get(p), "session_params" + at));
            if (session != null && params.n() > 1) throw ApiException.badRequest("session_params", "session_params cannot be combined with n > 1");

            // n > 1: every sample is its own engine request (the handler first caches the shared prompt).
            SamplingParams one = params.n() == 1 ? params : SamplingParamsJson.build(params.toBuilder().n(1), x -> x);
            for (int j = 0; j < params.n(); j++) {
                String r = rid == null ? UUID.randomUUID().toString().replace("-", "") : params.n() == 1 ? rid : rid + "_" + j;
                if (!seen.add(r)) throw ApiException.badRequest("rid", "rid '" + r + "' is used twice in this request");
                items.add(new Item(r, hasText ? texts.get(p) : null, hasIds ? idLists.get(p) : null, one,
                        explicitMax, returnLogprob, logprobStart, topLogprobs, session));
            }
        }
        return new GenerateReqInput(items, batch || n > 1, f.getBool("stream", false), f.getBool("log_metrics", true),
                f.getBool("return_text_in_logprobs", false), n);
    }

    /**
     * A field that is either one value for all prompts or a list with one value per prompt ({@code kind} says what
     * one value must be). Returns one entry per prompt, null where absent. A single {@code rid} for a batch is a
     * prefix, which the caller handles, so it yields nulls here.
     */
    private static List<JsonNode> perPrompt(JsonFields f, String name, int prompts, Predicate<JsonNode> isOne,
                                            String kind) {
        JsonNode v = f.get(name);
        List<JsonNode> out = new ArrayList<>(prompts);
        if (v != null && v.isArray()) {
            if (v.size() != prompts) {
                throw f.bad(name, name + " has " + v.size() + " entries but the batch has " + prompts + " prompts");
            }
            for (int i = 0; i < prompts; i++) {
                JsonNode e = v.get(i);
                if (!e.isNull() && !isOne.test(e)) throw f.bad(name, name + "[" + i + "] must be " + kind + ", got " + JsonFields.describe(e));
                out.add(e.isNull() ? null : e);
            }
            return out;
        }
        if (v != null && !isOne.test(v)) throw f.bad(name, "must be " + kind + " or a list of them", v);
        boolean prefix = name.equals("rid") && prompts > 1;
        for (int i = 0; i < prompts; i++) out.add(prefix ? null : v);
        return out;
    }

    /** SGLang {@code session_params}: continue session {@code id}, optionally after request {@code rid}. */
    public static SessionParams session(JsonFields s) {
        s.rejectUnknown(Set.of("id", "rid", "offset", "replace", "drop_previous_output"));
        String id = s.optString("id");
        if (id == null || id.isEmpty()) throw s.bad("id", "session_params.id is required");
        return new SessionParams(id, s.optString("rid"), s.optInt("offset"), s.getBool("replace", false),
                s.getBool("drop_previous_output", false));
    }
}
