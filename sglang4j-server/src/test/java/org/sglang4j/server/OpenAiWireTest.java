package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.Constraint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI endpoints' exact wire format, read as raw HTTP (what the SDK test cannot see). */
class OpenAiWireTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("--served-model-name", "demo");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @BeforeEach
    void reset() {
        s.engine.submitted.clear();
        s.engine.reply = r -> "ok";
    }

    static List<JsonNode> chunks(HttpResponse<String> r) {
        assertThat(r.body()).matches("(data: \\{[^\\n]*\\}\\n\\n)+data: \\[DONE\\]\\n\\n");
        List<String> events = TestServer.events(r.body());
        return events.subList(0, events.size() - 1).stream().map(e -> (JsonNode) JsonMapper.shared().readTree(e)).toList();
    }

    @Test
    void chatStreamChunkSequence() throws Exception {
        HttpResponse<String> r = s.post("/v1/chat/completions", """
                {"model": "demo", "messages": [{"role": "user", "content": "hi"}], "stream": true,
                 "stream_options": {"include_usage": true}}""");
        List<JsonNode> c = chunks(r);
        assertThat(c).hasSize(5); // role, "o", "k", finish, usage
        assertThat(c).allSatisfy(ch -> {
            assertThat(ch.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(ch.get("model").asString()).isEqualTo("demo");
            assertThat(ch.has("usage")).isTrue();
        });
        assertThat(c.get(0).get("choices").get(0).get("delta").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        assertThat(c.get(1).get("choices").get(0).get("delta").toString()).isEqualTo("{\"content\":\"o\"}");
        assertThat(c.get(3).get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(c.get(3).get("choices").get(0).get("matched_stop").asInt()).isEqualTo(ByteTokenizer.EOS);
        assertThat(c.get(4).get("choices")).isEmpty();
        assertThat(c.get(4).get("usage").toString()).isEqualTo("{\"prompt_tokens\":" + s.engine.submitted.getFirst().inputIds().length
                + ",\"completion_tokens\":2,\"total_tokens\":" + (s.engine.submitted.getFirst().inputIds().length + 2)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + c.get(4).get("usage").get("prompt_tokens_details").get("cached_tokens").asInt() + "}}");
        assertThat(c).extracting(ch -> ch.get("id").asString()).containsOnly(c.get(0).get("id").asString());
    }

    @Test
    void chatNonStreamShape() throws Exception {
        JsonNode body = TestServer.json(s.post("/v1/chat/completions", """
                {"messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}],
                 "response_format": {"type": "json_object"}, "max_tokens": 7}"""));
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"ok\"}");
        assertThat(choice.get("logprobs").isNull()).isTrue();
        var req = s.engine.submitted.getFirst();
        assertThat(req.sampling().constraint()).isEqualTo(new Constraint.JsonObject());
        assertThat(req.sampling().maxNewTokens()).isEqualTo(7);
        assertThat(s.engine.tokenizer.decode(req.inputIds(), false))
                .isEqualTo("<|im_start|>system\nbe brief<|im_end|>\n<|im_start|>user\na\nb<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void assistantToolCallHistoryReachesTheTemplate() throws Exception {
        s.post("/v1/chat/completions", """
                {"messages": [{"role": "user", "content": "order?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "get_order", "arguments": "{\\"id\\": \\"JD1\\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "shipped"}]}""");
        String prompt = s.engine.tokenizer.decode(s.engine.submitted.getFirst().inputIds(), false);
        assertThat(prompt).contains("<|im_start|>assistant\n[{\"id\":\"call_1\",\"name\":\"get_order\",\"arguments\":\"{\\\"id\\\": \\\"JD1\\\"}\"}]<|im_end|>")
                .contains("<|im_start|>tool\nshipped (call_1)<|im_end|>");
    }

    @Test
    void chatTemplateKwargsReachTheTemplate() throws Exception {
        s.post("/v1/chat/completions", """
                {"messages": [{"role": "developer", "content": "rules"}, {"role": "user", "content": "x"}],
                 "chat_template_kwargs": {"enable_thinking": false}}""");
        String prompt = s.engine.tokenizer.decode(s.engine.submitted.getFirst().inputIds(), false);
        assertThat(prompt).isEqualTo("<|im_start|>system\nrules<|im_end|>\n<|im_start|>user\nx<|im_end|>\n"
                + "<|im_start|>assistant\n{\"enable_thinking\":false}");
    }

    @Test
    void completionsStreamWithEchoAndLogprobs() throws Exception {
        HttpResponse<String> r = s.post("/v1/completions", """
                {"prompt": "Hi ", "stream": true, "echo": true, "logprobs": 1}""");
        List<JsonNode> c = chunks(r);
        assertThat(c.get(0).get("choices").get(0).get("text").asString()).isEqualTo("Hi ");
        assertThat(c.get(1).get("choices").get(0).get("text").asString()).isEqualTo("o");
        assertThat(c.get(1).get("choices").get(0).get("logprobs").toString())
                .isEqualTo("{\"tokens\":[\"o\"],\"token_logprobs\":[-0.25],\"top_logprobs\":[{\"o\":-0.25}],\"text_offset\":[3]}");
        assertThat(c.get(2).get("choices").get(0).get("logprobs").get("text_offset").get(0).asInt()).isEqualTo(4);
        assertThat(c.getLast().get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(c).allSatisfy(ch -> assertThat(ch.get("object").asString()).isEqualTo("text_completion"));
    }

    @Test
    void completionsBatchOfPromptsWithN() throws Exception {
        JsonNode body = TestServer.json(s.post("/v1/completions", """
                {"prompt": ["a", [256, 98]], "n": 2, "max_tokens": 1}"""));
        assertThat(body.get("choices")).hasSize(4);
        assertThat(body.get("choices")).extracting(ch -> ch.get("index").asInt()).containsExactly(0, 1, 2, 3);
        assertThat(body.get("choices")).extracting(ch -> ch.get("text").asString()).containsOnly("o");
        assertThat(body.get("choices")).extracting(ch -> ch.get("finish_reason").asString()).containsOnly("length");
        // 2 prompt tokens each, counted once per prompt; 4 completion tokens
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(4);
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void requiredToolChoiceStreamsCallsFromTheForcedArray() throws Exception {
        s.engine.reply = r -> "[{\"name\": \"get_order\", \"parameters\": {\"id\": \"JD1\"}}]";
        HttpResponse<String> r = s.post("/v1/chat/completions", """
                {"messages": [{"role": "user", "content": "x"}], "stream": true, "tool_choice": "required",
                 "tools": [{"type": "function", "function": {"name": "get_order", "parameters": {"type": "object"}}}]}""");
        List<JsonNode> c = chunks(r);
        StringBuilder args = new StringBuilder();
        String name = null;
        for (JsonNode ch : c) {
            JsonNode delta = ch.get("choices").get(0).get("delta");
            assertThat(delta.has("content") && !delta.get("content").asString().isEmpty()).isFalse();
            if (delta.has("tool_calls")) {
                JsonNode tc = delta.get("tool_calls").get(0);
                if (tc.get("function").has("name")) name = tc.get("function").get("name").asString();
                args.append(tc.get("function").get("arguments").asString());
            }
        }
        assertThat(name).isEqualTo("get_order");
        assertThat(args).hasToString("{\"id\": \"JD1\"}");
        assertThat(c.getLast().get("choices").get(0).get("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(s.engine.submitted.getFirst().sampling().constraint()).isInstanceOf(Constraint.JsonSchema.class);
    }
}
