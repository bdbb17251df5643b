package org.sglang4j.server.openai;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.server.http.JsonFields;
import tools.jackson.databind.JsonNode;

/**
 * A parsed {@code POST /v1/completions} body.
 *
 * @param prompts   each a string (tokenized by the handler) or token ids; exactly one of the pair is set
 * @param maxTokens OpenAI's default is 16
 * @param logprobs  number of top alternatives per token, or null for no logprobs
 */
record CompletionRequest(List<Prompt> prompts, SamplingParams.Builder sampling, int maxTokens, boolean maxTokensGiven,
                         boolean echo, Integer logprobs, boolean stream, boolean includeUsage, String rid,
                         SessionParams session) {

    record Prompt(String text, int[] ids) {}

    static final int DEFAULT_MAX_TOKENS = 16;

    static CompletionRequest parse(JsonNode body, int vocabSize) {
        JsonFields f = JsonFields.of(body, "");
        OpenAiFields.rejectUnsupported(f, "suffix", "best_of");
        f.optString("model");
        List<Prompt> prompts = prompts(f, vocabSize);
        Integer max = OpenAiFields.maxTokens(f);
        Integer logprobs = f.optInt("logprobs");
        if (logprobs != null && (logprobs < 0 || logprobs > OpenAiFields.MAX_TOP_LOGPROBS)) {
            throw f.bad("logprobs", "must be in [0, " + OpenAiFields.MAX_TOP_LOGPROBS + "]", f.get("logprobs"));
        }
        SamplingParams.Builder sampling = OpenAiFields.sampling(f, vocabSize);
        sampling.constraint = OpenAiFields.constraint(f);
        boolean stream = f.getBool("stream", false);
        return new CompletionRequest(prompts, sampling, max == null ? DEFAULT_MAX_TOKENS : max, max != null,
                f.getBool("echo", false), logprobs, stream, OpenAiFields.includeUsage(f, stream), f.optString("rid"),
                OpenAiFields.session(f));
    }

    /** {@code prompt}: a string, a list of strings, a list of token ids, or a list of such lists. */
    private static List<Prompt> prompts(JsonFields f, int vocabSize) {
        JsonNode p = f.get("prompt");
        if (p == null) throw f.bad("prompt", "prompt is required");
        List<Prompt> out = new ArrayList<>();
        if (p.isString()) {
            out.add(new Prompt(p.asString(), null));
        } else if (p.isArray() && !p.isEmpty() && p.get(0).isNumber()) {
            out.add(new Prompt(null, ids(JsonFields.toIntArray(p, "prompt"), vocabSize, f)));
        } else if (p.isArray() && !p.isEmpty()) {
            for (int i = 0; i < p.size(); i++) {
                JsonNode e = p.get(i);
                if (e.isString()) out.add(new Prompt(e.asString(), null));
                else if (e.isArray()) out.add(new Prompt(null, ids(JsonFields.toIntArray(e, "prompt[" + i + "]"), vocabSize, f)));
                else throw f.bad("prompt", "prompt[" + i + "] must be a string or a list of token ids, got " + JsonFields.describe(e));
            }
        } else {
            throw f.bad("prompt", "must be a string, a list of strings, or token ids", p);
        }
        return out;
    }

    private static int[] ids(int[] ids, int vocabSize, JsonFields f) {
        if (ids.length == 0) throw f.bad("prompt", "a token-id prompt must not be empty");
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw f.bad("prompt", "prompt contains token id " + id + ", outside the vocabulary [0, " + vocabSize + ")");
            }
        }
        return ids;
    }
}
