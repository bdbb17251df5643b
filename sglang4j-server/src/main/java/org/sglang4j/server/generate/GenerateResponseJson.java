package org.sglang4j.server.generate;

import java.util.List;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.server.OutputAccumulator;
import org.sglang4j.server.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SGLang's {@code /generate} response object: {@code {"text", "output_ids", "meta_info"}}, where meta_info carries
 * the id, finish reason, token counts, {@code e2e_latency} and, when asked for, logprob lists whose entries are
 * {@code [logprob, token_id, text|null]}. The same shape is every streamed chunk (text cumulative).
 */
public final class GenerateResponseJson {

    /** JSON has no -Infinity; a masked-out token's logprob is written as OpenAI-compatible servers do. */
    public static final float MASKED_LOGPROB = -9999.0f;

    private GenerateResponseJson() {}

    /** {@code index} is added to streamed chunks of a batch (null otherwise) so clients can demultiplex. */
    public static ObjectNode render(OutputAccumulator acc, GenerateReqInput.Item item, boolean returnTextInLogprobs,
                                    Tokenizer tokenizer, Integer index) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("text", acc.text());
        ArrayNode ids = o.putArray("output_ids");
        for (int id : acc.outputIds()) ids.add(id);
        ObjectNode meta = o.putObject("meta_info");
        meta.put("id", acc.rid());
        meta.set("finish_reason", finishReason(acc.finishReason()));
        meta.put("prompt_tokens", acc.promptTokens());
        meta.put("completion_tokens", acc.completionTokens());
        meta.put("cached_tokens", acc.cachedTokens());
        meta.put("weight_version", "default");
        meta.put("total_retractions", acc.retractions());
        meta.put("e2e_latency", acc.e2eLatency());
        if (item.returnLogprob()) {
            Tokenizer tok = returnTextInLogprobs ? tokenizer : null;
            meta.set("input_token_logprobs", tokenLogprobs(acc.inputLogprobs(), tok));
            meta.set("output_token_logprobs", tokenLogprobs(acc.outputLogprobs(), tok));
            if (item.topLogprobsNum() > 0) {
                meta.set("input_top_logprobs", topLogprobs(acc.inputLogprobs(), tok));
                meta.set("output_top_logprobs", topLogprobs(acc.outputLogprobs(), tok));
            }
        }
        if (index != null) o.put("index", index);
        return o;
    }

    /** SGLang's finish_reason objects; null while the request runs. */
    public static JsonNode finishReason(FinishReason reason) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        switch (reason) {
            case null -> {
                return Json.MAPPER.nullNode();
            }
            case FinishReason.Length l -> {
                o.put("type", "length");
                o.put("length", l.length());
            }
            case FinishReason.MatchedToken t -> {
                o.put("type", "stop");
                o.put("matched", t.tokenId());
            }
            case FinishReason.MatchedString s -> {
                o.put("type", "stop");
                o.put("matched", s.matched());
            }
            case FinishReason.Abort a -> {
                o.put("type", "abort");
                o.put("message", a.message());
                o.put("status_code", a.statusCode());
            }
        }
        return o;
    }

    private static ArrayNode tokenLogprobs(List<TokenLogprob> lps, Tokenizer tok) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (TokenLogprob lp : lps) out.add(entry(lp.logprob(), lp.tokenId(), tok));
        return out;
    }

    private static ArrayNode topLogprobs(List<TokenLogprob> lps, Tokenizer tok) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (TokenLogprob lp : lps) {
            if (lp.topIds() == null) {
                out.addNull();
                continue;
            }
            ArrayNode pos = out.addArray();
            for (int k = 0; k < lp.topIds().length; k++) pos.add(entry(lp.topLogprobs()[k], lp.topIds()[k], tok));
        }
        return out;
    }

    /**
     * {@code [logprob, id, text]}; the first prompt token has no logprob (NaN from the engine → null) and a token
     * masked out by a grammar has -inf ({@link #MASKED_LOGPROB}).
     */
    private static ArrayNode entry(float logprob, int id, Tokenizer tok) {
        ArrayNode e = Json.MAPPER.createArrayNode();
        if (Float.isNaN(logprob)) e.addNull();
        else e.add(Float.isInfinite(logprob) ? MASKED_LOGPROB : logprob);
        e.add(id);
        if (tok == null) e.addNull();
        else e.add(tok.decode(new int[] {id}, false));
        return e;
    }
}
