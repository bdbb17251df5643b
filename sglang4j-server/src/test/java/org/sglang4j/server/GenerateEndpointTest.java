package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.engine.req.GenerateRequest;
import tools.jackson.databind.JsonNode;

/** {@code /generate} over real HTTP against a scripted engine: request mapping, response and stream shapes. */
class GenerateEndpointTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @BeforeEach
    void reset() {
        s.engine.submitted.clear();
        s.engine.reply = r -> "Hello!";
        s.engine.tokenDelayMillis = 0;
    }

    /** The case study's curl call, byte for byte: {@code prompt} instead of text, {@code regex} at the top level. */
    static final String CASE_STUDY_BODY = """
            {
              "prompt": "用户说：我要退订单JD202412345678。请按以下JSON格式返回：{\\"order_id\\": \\"订单号\\", \\"status\\": \\"处理状态\\", \\"action\\": \\"执行动作\\"}",
              "regex": "{\\"order_id\\": \\"[A-Z]{2}\\\\d{12}\\", \\"status\\": \\"(pending|processing|refunded)\\", \\"action\\": \\"(refund|cancel)\\"}"
            }""";

    @Test
    void caseStudyCurlCallWithTopLevelPromptAndRegex() throws Exception {
        String ticket = "{\"order_id\": \"JD202412345678\", \"status\": \"pending\", \"action\": \"refund\"}";
        s.engine.reply = r -> ticket;
        HttpResponse<String> r = s.post("/generate", CASE_STUDY_BODY);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = TestServer.json(r);
        assertThat(body.get("text").asString()).isEqualTo(ticket);

        GenerateRequest req = s.engine.submitted.getFirst();
        String prompt = "用户说：我要退订单JD202412345678。请按以下JSON格式返回：{\"order_id\": \"订单号\", \"status\": \"处理状态\", \"action\": \"执行动作\"}";
        assertThat(req.inputIds()).startsWith(ByteTokenizer.BOS).hasSize(1 + prompt.getBytes(StandardCharsets.UTF_8).length);
        assertThat(req.sampling().constraint()).isEqualTo(new Constraint.Regex(
                "{\"order_id\": \"[A-Z]{2}\\d{12}\", \"status\": \"(pending|processing|refunded)\", \"action\": \"(refund|cancel)\"}"));
        assertThat(req.sampling().maxNewTokens()).isEqualTo(128);

        JsonNode meta = body.get("meta_info");
        assertThat(meta.get("id").asString()).isEqualTo(req.rid());
        assertThat(meta.get("prompt_tokens").asInt()).isEqualTo(req.inputIds().length);
        assertThat(meta.get("completion_tokens").asInt()).isEqualTo(ticket.length());
        assertThat(meta.get("finish_reason").toString()).isEqualTo("{\"type\":\"stop\",\"matched\":257}");
        assertThat(meta.get("e2e_latency").asDouble()).isPositive();
        assertThat(body.get("output_ids")).hasSize(ticket.length());
    }

    @Test
    void samplingParamsReachTheEngine() throws Exception {
        HttpResponse<String> r = s.post("/generate", """
                {"text": "ab", "rid": "my-rid", "sampling_params": {"max_new_tokens": 3, "min_new_tokens": 1,
                 "temperature": 0.5, "top_p": 0.9, "top_k": 40, "min_p": 0.05, "frequency_penalty": 0.5,
                 "presence_penalty": -0.5, "repetition_penalty": 1.1, "stop": "xy", "stop_token_ids": [7, 8],
                 "ignore_eos": true, "no_stop_trim": true, "skip_special_tokens": false, "logit_bias": {"65": -2.5},
                 "sampling_seed": 42, "json_schema": "{\\"type\\": \\"object\\"}"}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var sp = s.engine.submitted.getFirst().sampling();
        assertThat(s.engine.submitted.getFirst().rid()).isEqualTo("my-rid");
        assertThat(sp.maxNewTokens()).isEqualTo(3);
        assertThat(sp.minNewTokens()).isEqualTo(1);
        assertThat(sp.temperature()).isEqualTo(0.5f);
        assertThat(sp.topP()).isEqualTo(0.9f);
        assertThat(sp.topK()).isEqualTo(40);
        assertThat(sp.minP()).isEqualTo(0.05f);
        assertThat(sp.frequencyPenalty()).isEqualTo(0.5f);
        assertThat(sp.presencePenalty()).isEqualTo(-0.5f);
        assertThat(sp.repetitionPenalty()).isEqualTo(1.1f);
        assertThat(sp.stop()).containsExactly("xy");
        assertThat(sp.stopTokenIds()).containsExactly(7, 8);
        assertThat(sp.ignoreEos()).isTrue();
        assertThat(sp.noStopTrim()).isTrue();
        assertThat(sp.skipSpecialTokens()).isFalse();
        assertThat(sp.logitBias()).containsEntry(65, -2.5f).hasSize(1);
        assertThat(sp.seed()).isEqualTo(42L);
        assertThat(sp.constraint()).isEqualTo(new Constraint.JsonSchema("{\"type\": \"object\"}"));
        // "Hello!" cut at 3 tokens
        JsonNode body = TestServer.json(r);
        assertThat(body.get("text").asString()).isEqualTo("Hel");
        assertThat(body.get("meta_info").get("finish_reason").toString()).isEqualTo("{\"type\":\"length\",\"length\":3}");
    }

    @Test
    void inputIdsAndStopStringTrimming() throws Exception {
        s.engine.reply = r -> "one. two";
        HttpResponse<String> r = s.post("/generate", "{\"input_ids\": [256, 104, 105], \"sampling_params\": {\"stop\": [\".\"]}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(s.engine.submitted.getFirst().inputIds()).containsExactly(256, 104, 105);
        JsonNode body = TestServer.json(r);
        assertThat(body.get("text").asString()).isEqualTo("one");
        assertThat(body.get("meta_info").get("finish_reason").toString()).isEqualTo("{\"type\":\"stop\",\"matched\":\".\"}");
    }

    @Test
    void batchOfTextsAnswersAListInOrderWithRidPrefix() throws Exception {
        s.engine.reply = r -> new String(new int[] {r.inputIds()[1]}, 0, 1).toUpperCase();
        HttpResponse<String> r = s.post("/generate", "{\"text\": [\"a\", \"b\", \"c\"], \"rid\": \"job\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestServer.json(r);
        assertThat(body.isArray()).isTrue();
        assertThat(body).extracting(n -> n.get("text").asString()).containsExactly("A", "B", "C");
        assertThat(body).extracting(n -> n.get("meta_info").get("id").asString()).containsExactly("job_0", "job_1", "job_2");
    }

    @Test
    void parallelSamplingCachesThePromptFirstThenFansOut() throws Exception {
        HttpResponse<String> r = s.post("/generate", "{\"text\": \"shared prompt\", \"sampling_params\": {\"n\": 3, \"max_new_tokens\": 2}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestServer.json(r);
        assertThat(body).hasSize(3);
        List<GenerateRequest> sent = s.engine.submitted;
        assertThat(sent).hasSize(4);
        assertThat(sent.getFirst().sampling().maxNewTokens()).isZero(); // prefill-only warm-up
        for (int i = 1; i < 4; i++) assertThat(sent.get(i).sampling().n()).isEqualTo(1);
        // the three samples hit the prompt the warm-up cached (all but the last prompt token)
        for (JsonNode item : body) assertThat(item.get("meta_info").get("cached_tokens").asInt()).isEqualTo(sent.getFirst().inputIds().length - 1);
    }

    @Test
    void streamUsesExactSseFramingWithCumulativeText() throws Exception {
        s.engine.reply = r -> "Hi!";
        HttpResponse<String> r = s.post("/generate", "{\"text\": \"x\", \"stream\": true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(r.body()).matches("(data: \\{[^\\n]*\\}\\n\\n){4}data: \\[DONE\\]\\n\\n");
        List<String> events = TestServer.events(r.body());
        List<JsonNode> chunks = events.subList(0, 4).stream().map(e -> (JsonNode) tools.jackson.databind.json.JsonMapper.shared().readTree(e)).toList();
        assertThat(chunks).extracting(c -> c.get("text").asString()).containsExactly("H", "Hi", "Hi!", "Hi!");
        assertThat(chunks.get(1).get("output_ids").toString()).isEqualTo("[72,105]");
        assertThat(chunks.get(2).get("meta_info").get("finish_reason").isNull()).isTrue();
        assertThat(chunks.get(3).get("meta_info").get("finish_reason").get("type").asString()).isEqualTo("stop");
        assertThat(events.getLast()).isEqualTo("[DONE]");
    }

    @Test
    void multiByteCharactersStreamWhole() throws Exception {
        s.engine.reply = r -> "订单";
        HttpResponse<String> r = s.post("/generate", "{\"text\": \"x\", \"stream\": true}");
        List<String> events = TestServer.events(r.body());
        JsonNode first = tools.jackson.databind.json.JsonMapper.shared().readTree(events.getFirst());
        assertThat(first.get("text").asString()).isEqualTo("订");
        assertThat(first.get("output_ids")).hasSize(3);
    }

    @Test
    void logprobsUseSglangTriples() throws Exception {
        s.engine.reply = r -> "ab";
        HttpResponse<String> r = s.post("/generate", """
                {"text": "x", "return_logprob": true, "top_logprobs_num": 2, "return_text_in_logprobs": true}""");
        JsonNode meta = TestServer.json(r).get("meta_info");
        assertThat(meta.get("output_token_logprobs").toString()).isEqualTo("[[-0.25,97,\"a\"],[-0.25,98,\"b\"]]");
        assertThat(meta.get("output_top_logprobs").get(0).toString()).isEqualTo("[[-0.25,97,\"a\"],[-0.5,98,\"b\"]]");
        assertThat(meta.get("input_token_logprobs").toString()).isEqualTo("[]");
        GenerateRequest req = s.engine.submitted.getFirst();
        assertThat(req.returnLogprob()).isTrue();
        assertThat(req.topLogprobsNum()).isEqualTo(2);
        assertThat(req.logprobStartLen()).isEqualTo(-1);
    }

    @Test
    void defaultBudgetShrinksToFitTheContextButAnExplicitOneIsChecked() throws Exception {
        String prompt = "p".repeat(450); // 451 tokens with BOS, context 512 leaves 61
        assertThat(s.post("/generate", "{\"text\": \"" + prompt + "\"}").statusCode()).isEqualTo(200);
        assertThat(s.engine.submitted.getLast().sampling().maxNewTokens()).isEqualTo(61);
        HttpResponse<String> r = s.post("/generate", "{\"text\": \"" + prompt + "\", \"sampling_params\": {\"max_new_tokens\": 100}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(r).get("error").get("message").asString())
                .contains("maximum context length is 512 tokens").contains("451 in the prompt, 100 for the completion");
    }
}
