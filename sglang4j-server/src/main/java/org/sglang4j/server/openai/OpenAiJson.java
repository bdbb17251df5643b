package org.sglang4j.server.openai;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.server.generate.GenerateResponseJson;
import org.sglang4j.server.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The pieces of OpenAI responses both endpoints share: finish reasons, usage and the two logprobs formats. */
final class OpenAiJson {

    private OpenAiJson() {}

    /** {@code stop}, {@code length}, {@code tool_calls} (a call was parsed out of a stop), or SGLang's {@code abort}. */
    static String finishReason(FinishReason r, boolean toolCalls) {
        return switch (r) {
            case null -> null;
            case FinishReason.Length l -> "length";
            case FinishReason.MatchedToken t -> toolCalls ? "tool_calls" : "stop";
            case FinishReason.MatchedString s -> toolCalls ? "tool_calls" : "stop";
            case FinishReason.Abort a -> "abort";
        };
    }

    /** SGLang's {@code matched_stop}: the stop token id or string that ended the output, else null. */
    static JsonNode matchedStop(FinishReason r) {
        return switch (r) {
            case FinishReason.MatchedToken t -> Json.MAPPER.getNodeFactory().numberNode(t.tokenId());
            case FinishReason.MatchedString s -> Json.MAPPER.getNodeFactory().stringNode(s.matched());
            case null, default -> Json.MAPPER.nullNode();
        };
    }

    /** {@code cached_tokens} is always reported: the prefix-cache hit is what users look for first. */
    static ObjectNode usage(int promptTokens, int completionTokens, int cachedTokens) {
        ObjectNode u = Json.MAPPER.createObjectNode();
        u.put("prompt_tokens", promptTokens);
        u.put("completion_tokens", completionTokens);
        u.put("total_tokens", promptTokens + completionTokens);
        u.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
        return u;
    }

    /** Chat format: {@code {"content": [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}}. */
    static ObjectNode chatLogprobs(List<TokenLogprob> lps, Tokenizer tok, int topN) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode content = o.putArray("content");
        for (TokenLogprob lp : lps) {
            ObjectNode e = content.addObject();
            tokenEntry(e, lp.tokenId(), lp.logprob(), tok);
            ArrayNode top = e.putArray("top_logprobs");
            if (lp.topIds() != null) {
                for (int k = 0; k < Math.min(topN, lp.topIds().length); k++) {
                    tokenEntry(top.addObject(), lp.topIds()[k], lp.topLogprobs()[k], tok);
                }
            }
        }
        o.putArray("refusal");
        return o;
    }

    private static void tokenEntry(ObjectNode e, int id, float logprob, Tokenizer tok) {
        byte[] bytes = tok.tokenBytes(id);
        e.put("token", new String(bytes, StandardCharsets.UTF_8));
        e.put("logprob", safe(logprob));
        ArrayNode b = e.putArray("bytes");
        for (byte x : bytes) b.add(x & 0xff);
    }

    /**
     * Legacy completions format: {@code {tokens, token_logprobs, top_logprobs: [{token: logprob}], text_offset}};
     * {@code textOffset} is where the first token's text starts in the choice's text.
     */
    static ObjectNode completionLogprobs(List<TokenLogprob> lps, Tokenizer tok, int topN, int textOffset) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        ArrayNode tokens = o.putArray("tokens");
        ArrayNode values = o.putArray("token_logprobs");
        ArrayNode tops = o.putArray("top_logprobs");
        ArrayNode offsets = o.putArray("text_offset");
        int offset = textOffset;
        for (TokenLogprob lp : lps) {
            String text = new String(tok.tokenBytes(lp.tokenId()), StandardCharsets.UTF_8);
            tokens.add(text);
            if (Float.isNaN(lp.logprob())) values.addNull();
            else values.add(safe(lp.logprob()));
            if (lp.topIds() == null || topN == 0) {
                tops.addNull();
            } else {
                ObjectNode top = tops.addObject();
                for (int k = 0; k < Math.min(topN, lp.topIds().length); k++) {
                    top.put(new String(tok.tokenBytes(lp.topIds()[k]), StandardCharsets.UTF_8), safe(lp.topLogprobs()[k]));
                }
            }
            offsets.add(offset);
            offset += text.length();
        }
        return o;
    }

    private static float safe(float logprob) {
        return Float.isInfinite(logprob) || Float.isNaN(logprob) ? GenerateResponseJson.MASKED_LOGPROB : logprob;
    }
}
