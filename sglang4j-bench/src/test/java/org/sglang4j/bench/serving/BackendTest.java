package org.sglang4j.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sglang4j.bench.workload.ChatMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies and stream parsing of each API. The event samples are copied from the documented formats: SGLang's
 * /generate (cumulative text, meta_info), OpenAI's streaming with include_usage, and llama-server b4747's own output.
 */
class BackendTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GenerationRequest CHAT = GenerationRequest.ofChat(
            List.of(new ChatMessage("system", "policy"), new ChatMessage("user", "hi")), 16, true, null, true);

    @Test
    void requestBodiesUseEachApisNames() {
        JsonNode native_ = JSON.readTree(Backend.SGLANG4J.body(CHAT, null));
        assertThat(native_.get("text").asString()).isEqualTo(
                "<|im_start|>system\npolicy<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
        assertThat(native_.at("/sampling_params/max_new_tokens").asInt()).isEqualTo(16);
        assertThat(native_.at("/sampling_params/ignore_eos").asBoolean()).isTrue();
        assertThat(native_.get("stream").asBoolean()).isTrue();

        JsonNode chat = JSON.readTree(Backend.OPENAI_CHAT.body(CHAT, "m"));
        assertThat(chat.get("model").asString()).isEqualTo("m");
        assertThat(chat.at("/messages/1/content").asString()).isEqualTo("hi");
        assertThat(chat.at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(chat.has("cache_prompt")).as("only sent when turned off").isFalse();

        var constrained = GenerationRequest.ofPrompt("p", 8, false, "{\"type\":\"object\"}", false);
        JsonNode oa = JSON.readTree(Backend.OPENAI.body(constrained, "m"));
        assertThat(oa.get("prompt").asString()).isEqualTo("p");
        assertThat(oa.at("/response_format/json_schema/schema/type").asString()).isEqualTo("object");
        assertThat(oa.has("ignore_eos")).isFalse();
        assertThat(oa.get("cache_prompt").asBoolean()).isFalse();
        JsonNode llama = JSON.readTree(Backend.LLAMA_CPP.body(constrained, null));
        assertThat(llama.get("n_predict").asInt()).isEqualTo(8);
        assertThat(llama.at("/json_schema/type").asString()).isEqualTo("object");
        JsonNode sg = JSON.readTree(Backend.SGLANG4J.body(constrained, null));
        assertThat(sg.at("/sampling_params/json_schema").asString()).isEqualTo("{\"type\":\"object\"}");
    }

    @Test
    void nativeStreamSendsCumulativeTextAndMetaInfo() {
        StreamChunk a = Backend.SGLANG4J.parse("{\"text\":\"Hel\",\"meta_info\":{\"prompt_tokens\":7,"
                + "\"completion_tokens\":1,\"cached_tokens\":4,\"finish_reason\":null}}", "");
        assertThat(a.textDelta()).isEqualTo("Hel");
        assertThat(a.completionTokens()).isEqualTo(1);
        assertThat(a.finished()).isFalse();
        StreamChunk b = Backend.SGLANG4J.parse("{\"text\":\"Hello\",\"meta_info\":{\"prompt_tokens\":7,"
                + "\"completion_tokens\":2,\"cached_tokens\":4,\"finish_reason\":{\"type\":\"length\",\"length\":2}}}", "Hel");
        assertThat(b.textDelta()).isEqualTo("lo");
        assertThat(b.cachedTokens()).isEqualTo(4);
        assertThat(b.finished()).isTrue();
        assertThat(Backend.SGLANG4J.parse("[DONE]", "Hello")).isNull();
    }

    @Test
    void openAiUsageCarriesCachedTokensOrLlamaCppTimings() {
        StreamChunk d = Backend.OPENAI_CHAT.parse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" caves\"},"
                + "\"finish_reason\":null}]}", "");
        assertThat(d.textDelta()).isEqualTo(" caves");
        assertThat(d.finished()).isFalse();
        StreamChunk u = Backend.OPENAI.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":8,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":32}}}", "x");
        assertThat(u.promptTokens()).isEqualTo(40);
        assertThat(u.cachedTokens()).isEqualTo(32);
        assertThat(u.finished()).isTrue();
        // llama-server b4747 final chunk: no cached_tokens, but timings.prompt_n = prompt tokens it computed.
        StreamChunk l = Backend.OPENAI.parse("{\"choices\":[{\"text\":\"\",\"index\":0,\"logprobs\":null,"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":6,"
                + "\"total_tokens\":9},\"timings\":{\"prompt_n\":1,\"predicted_n\":3}}", "RIRI");
        assertThat(l.cachedTokens()).isEqualTo(5);
        assertThat(l.completionTokens()).isEqualTo(3);
    }

    @Test
    void llamaCppNativeStreamCountsTokensPerEvent() {
        StreamChunk t = Backend.LLAMA_CPP.parse("{\"index\":0,\"content\":\"RI\",\"tokens\":[4305],\"stop\":false,"
                + "\"id_slot\":-1,\"tokens_predicted\":1,\"tokens_evaluated\":6}", "");
        assertThat(t.newTokens()).isEqualTo(1);
        assertThat(t.finished()).isFalse();
        StreamChunk end = Backend.LLAMA_CPP.parse("{\"index\":0,\"content\":\"\",\"tokens\":[],\"stop\":true,"
                + "\"tokens_predicted\":4,\"tokens_evaluated\":6,\"tokens_cached\":9,\"timings\":{\"prompt_n\":6}}", "RI");
        assertThat(end.finished()).isTrue();
        assertThat(end.newTokens()).isZero();
        assertThat(end.promptTokens()).isEqualTo(6);
        assertThat(end.cachedTokens()).isZero();
        assertThat(end.completionTokens()).isEqualTo(4);
    }

    @Test
    void errorsInTheStreamAreReportedAndUnknownBackendsNamed() {
        StreamChunk e = Backend.OPENAI.parse("{\"error\":{\"message\":\"context too long\",\"code\":400}}", "");
        assertThat(e.error()).isEqualTo("context too long");
        assertThatThrownBy(() -> Backend.of("vllm")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vllm");
        assertThat(Backend.of("llama.cpp")).isEqualTo(Backend.LLAMA_CPP);
    }
}
