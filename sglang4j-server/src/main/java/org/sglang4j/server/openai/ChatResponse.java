package org.sglang4j.server.openai;

import java.util.List;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.server.OutputAccumulator;
import org.sglang4j.server.http.Json;
import org.sglang4j.server.openai.tool.ToolCall;
import org.sglang4j.server.openai.tool.ToolCallDelta;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of one chat request's answer: the {@code chat.completion} object, or the {@code chat.completion.chunk}
 * sequence of a stream (role, content, tool-call and finish chunks per choice, then usage), sharing id, created
 * time and model.
 */
record ChatResponse(String id, long created, String model, ChatCompletionRequest request, Tokenizer tok) {

    OutputAccumulator[] accumulators(int n, long now) {
        OutputAccumulator[] accs = new OutputAccumulator[n];
        for (int i = 0; i < n; i++) accs[i] = new OutputAccumulator(id + "_" + i, now);
        return accs;
    }

    ObjectNode choice(int index, OutputAccumulator acc, String content, List<ToolCall> calls) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("index", index);
        ObjectNode msg = c.putObject("message");
        msg.put("role", "assistant");
        if (calls.isEmpty() || !content.isBlank()) msg.put("content", content);
        else msg.putNull("content");
        if (!calls.isEmpty()) {
            ArrayNode arr = msg.putArray("tool_calls");
            for (ToolCall tc : calls) {
                ObjectNode t = arr.addObject();
                t.put("id", tc.id());
                t.put("type", "function");
                t.put("index", tc.index());
                t.putObject("function").put("name", tc.name()).put("arguments", tc.arguments());
            }
        }
        if (request.logprobs()) c.set("logprobs", OpenAiJson.chatLogprobs(acc.outputLogprobs(), tok, request.topLogprobs()));
        else c.putNull("logprobs");
        c.put("finish_reason", OpenAiJson.finishReason(acc.finishReason(), !calls.isEmpty()));
        c.set("matched_stop", OpenAiJson.matchedStop(acc.finishReason()));
        return c;
    }

    ObjectNode completion(List<ObjectNode> choices, OutputAccumulator[] accs) {
        ObjectNode o = header("chat.completion");
        ArrayNode arr = o.putArray("choices");
        choices.forEach(arr::add);
        o.set("usage", usage(accs));
        return o;
    }

    ObjectNode usage(OutputAccumulator[] accs) {
        int completion = 0;
        int cached = 0;
        for (OutputAccumulator a : accs) {
            completion += a.completionTokens();
            cached += a.cachedTokens();
        }
        // One prompt for all n choices: counted once, as OpenAI and SGLang do.
        return OpenAiJson.usage(accs[0].promptTokens(), completion, cached);
    }

    ObjectNode roleChunk(int index) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return chunk(index, delta, null);
    }

    ObjectNode contentChunk(int index, String content, List<TokenLogprob> logprobs) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.put("content", content);
        ObjectNode c = chunk(index, delta, null);
        if (logprobs != null) {
            ((ObjectNode) c.get("choices").get(0)).set("logprobs",
                    OpenAiJson.chatLogprobs(logprobs, tok, request.topLogprobs()));
        }
        return c;
    }

    ObjectNode toolCallChunk(int index, List<ToolCallDelta> deltas) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        ArrayNode arr = delta.putArray("tool_calls");
        for (ToolCallDelta d : deltas) {
            ObjectNode t = arr.addObject();
            t.put("index", d.index());
            if (d.id() != null) {
                t.put("id", d.id());
                t.put("type", "function");
            }
            ObjectNode fn = t.putObject("function");
            if (d.name() != null) fn.put("name", d.name());
            fn.put("arguments", d.arguments());
        }
        return chunk(index, delta, null);
    }

    ObjectNode finishChunk(int index, OutputAccumulator acc, boolean toolCalls) {
        ObjectNode c = chunk(index, Json.MAPPER.createObjectNode(), OpenAiJson.finishReason(acc.finishReason(), toolCalls));
        ((ObjectNode) c.get("choices").get(0)).set("matched_stop", OpenAiJson.matchedStop(acc.finishReason()));
        return c;
    }

    ObjectNode usageChunk(OutputAccumulator[] accs) {
        ObjectNode o = header("chat.completion.chunk");
        o.putArray("choices");
        o.set("usage", usage(accs));
        return o;
    }

    private ObjectNode chunk(int index, ObjectNode delta, String finishReason) {
        ObjectNode o = header("chat.completion.chunk");
        ObjectNode c = o.putArray("choices").addObject();
        c.put("index", index);
        c.set("delta", delta);
        c.putNull("logprobs");
        if (finishReason == null) c.putNull("finish_reason");
        else c.put("finish_reason", finishReason);
        if (request.includeUsage()) o.putNull("usage");
        return o;
    }

    private ObjectNode header(String object) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", id);
        o.put("object", object);
        o.put("created", created);
        o.put("model", model);
        return o;
    }
}
