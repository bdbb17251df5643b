package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.engine.req.GenerateRequest;

/**
 * The official OpenAI Java SDK against the server (scripted engine): if the SDK parses our responses and chunks
 * into the values below, real OpenAI clients will too.
 */
class OpenAiSdkTest {

    static TestServer s;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("--api-key", "sk-test", "--served-model-name", "demo");
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + s.server.port() + "/v1").apiKey("sk-test")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        s.close();
    }

    @BeforeEach
    void reset() {
        s.engine.submitted.clear();
        s.engine.reply = r -> "Hello there!";
    }

    static ChatCompletionCreateParams.Builder chat(String user) {
        return ChatCompletionCreateParams.builder().model("demo").addUserMessage(user);
    }

    static final FunctionDefinition GET_ORDER = FunctionDefinition.builder().name("get_order")
            .description("Look up an order")
            .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("order_id", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("order_id"))).build())
            .build();

    @Test
    void chatCompletionWithUsageAndCachedTokens() {
        ChatCompletion c = client.chat().completions().create(chat("Where is my order JD202412345678?").build());
        assertThat(c.choices()).hasSize(1);
        assertThat(c.choices().getFirst().message().content()).hasValue("Hello there!");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.model()).isEqualTo("demo");
        assertThat(c.id()).startsWith("chatcmpl-");
        GenerateRequest req = s.engine.submitted.getFirst();
        var usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(req.inputIds().length);
        assertThat(usage.completionTokens()).isEqualTo("Hello there!".length());
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
        // The prompt went through the chat template; the same conversation again hits the (scripted) prefix cache.
        String prompt = s.engine.tokenizer.decode(req.inputIds(), false);
        assertThat(prompt).isEqualTo("<|im_start|>user\nWhere is my order JD202412345678?<|im_end|>\n<|im_start|>assistant\n");
        ChatCompletion again = client.chat().completions().create(chat("Where is my order JD202412345678?").build());
        assertThat(again.usage().orElseThrow().promptTokensDetails().orElseThrow().cachedTokens())
                .hasValue((long) req.inputIds().length - 1);
    }

    @Test
    void streamingWithIncludeUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                chat("hi").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk ch : chunks) {
            for (ChatCompletionChunk.Choice choice : ch.choices()) choice.delta().content().ifPresent(text::append);
        }
        assertThat(text).hasToString("Hello there!");
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().getFirst().finishReason()).hasValue(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(12);
    }

    @Test
    void autoToolCallsAreParsedFromTheOutput() {
        s.engine.reply = r -> "Let me look.<tool_call>\n{\"name\": \"get_order\", \"arguments\": {\"order_id\": \"JD202412345678\"}}\n</tool_call>";
        ChatCompletion c = client.chat().completions().create(chat("Where is JD202412345678?").addFunctionTool(GET_ORDER).build());
        var choice = c.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).hasValue("Let me look.");
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_order");
        assertThat(call.function().arguments()).isEqualTo("{\"order_id\": \"JD202412345678\"}");
        assertThat(call.id()).startsWith("call_");
        // the tools reached the chat template and no constraint was set (auto)
        GenerateRequest req = s.engine.submitted.getFirst();
        assertThat(s.engine.tokenizer.decode(req.inputIds(), false)).contains("\"name\":\"get_order\"");
        assertThat(req.sampling().constraint()).isNull();
    }

    @Test
    void streamedToolCallDeltasReassemble() {
        s.engine.reply = r -> "<tool_call>{\"name\": \"get_order\", \"arguments\": {\"order_id\": \"JD1\"}}</tool_call>"
                + "<tool_call>{\"name\": \"get_order\", \"arguments\": {\"order_id\": \"JD2\"}}</tool_call>";
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(chat("two orders").addFunctionTool(GET_ORDER).build())) {
            stream.stream().forEach(chunks::add);
        }
        String[] ids = new String[2];
        StringBuilder[] args = {new StringBuilder(), new StringBuilder()};
        StringBuilder content = new StringBuilder();
        ChatCompletionChunk.Choice.FinishReason finish = null;
        for (ChatCompletionChunk ch : chunks) {
            for (var choice : ch.choices()) {
                choice.delta().content().ifPresent(content::append);
                for (var tc : choice.delta().toolCalls().orElse(List.of())) {
                    int i = (int) tc.index();
                    tc.id().ifPresent(id -> ids[i] = id);
                    tc.function().flatMap(f -> f.arguments()).ifPresent(args[i]::append);
                }
                if (choice.finishReason().isPresent()) finish = choice.finishReason().get();
            }
        }
        assertThat(content).isEmpty();
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(args[0]).hasToString("{\"order_id\": \"JD1\"}");
        assertThat(args[1]).hasToString("{\"order_id\": \"JD2\"}");
        assertThat(finish).isEqualTo(ChatCompletionChunk.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void namedToolChoiceIsForcedByTheParametersSchema() {
        s.engine.reply = r -> "{\"order_id\": \"JD202412345678\"}";
        ChatCompletion c = client.chat().completions().create(chat("JD202412345678").addFunctionTool(GET_ORDER)
                .toolChoice(ChatCompletionNamedToolChoice.builder().function(
                        ChatCompletionNamedToolChoice.Function.builder().name("get_order").build()).build()).build());
        Constraint constraint = s.engine.submitted.getFirst().sampling().constraint();
        assertThat(constraint).isEqualTo(new Constraint.JsonSchema(
                "{\"type\":\"object\",\"properties\":{\"order_id\":{\"type\":\"string\"}},\"required\":[\"order_id\"]}"));
        var call = c.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_order");
        assertThat(call.function().arguments()).isEqualTo("{\"order_id\": \"JD202412345678\"}");
        assertThat(c.choices().getFirst().message().content()).isEmpty();
    }

    @Test
    void responseFormatJsonSchemaBecomesTheConstraint() {
        s.engine.reply = r -> "{\"intent\": \"refund\"}";
        ChatCompletion c = client.chat().completions().create(chat("classify").responseFormat(ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("nlu")
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build()).build()).build()).build());
        assertThat(s.engine.submitted.getFirst().sampling().constraint()).isEqualTo(new Constraint.JsonSchema("{\"type\":\"object\"}"));
        assertThat(c.choices().getFirst().message().content()).hasValue("{\"intent\": \"refund\"}");
    }

    @Test
    void samplingFieldsSeedNAndLogprobs() {
        ChatCompletion c = client.chat().completions().create(chat("x").n(2).seed(7).temperature(0.7).topP(0.9)
                .maxCompletionTokens(20).stop("there").logprobs(true).topLogprobs(2).presencePenalty(0.5).build());
        assertThat(c.choices()).hasSize(2);
        assertThat(c.choices()).extracting(ch -> ch.message().content().orElseThrow()).containsOnly("Hello ");
        assertThat(c.choices().getFirst().logprobs().orElseThrow().content().orElseThrow()).hasSize(6)
                .first().satisfies(lp -> {
                    assertThat(lp.token()).isEqualTo("H");
                    assertThat(lp.logprob()).isEqualTo(-0.25);
                    assertThat(lp.topLogprobs()).hasSize(2);
                });
        List<GenerateRequest> sent = s.engine.submitted;
        assertThat(sent).hasSize(3); // prefix warm-up + 2 samples
        assertThat(sent.get(1).sampling().seed()).isEqualTo(7L);
        assertThat(sent.get(2).sampling().seed()).isEqualTo(8L);
        assertThat(sent.get(1).sampling().temperature()).isEqualTo(0.7f);
        assertThat(sent.get(1).sampling().maxNewTokens()).isEqualTo(20);
        assertThat(sent.get(1).sampling().stop()).containsExactly("there");
        assertThat(sent.get(1).topLogprobsNum()).isEqualTo(2);
        assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(sent.get(1).inputIds().length);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(12);
    }

    @Test
    void legacyCompletions() {
        Completion c = client.completions().create(CompletionCreateParams.builder().model("demo").prompt("Once upon")
                .maxTokens(5).echo(true).build());
        assertThat(c.choices().getFirst().text()).isEqualTo("Once uponHello");
        assertThat(c.choices().getFirst().finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
        assertThat(s.engine.submitted.getFirst().inputIds()).startsWith(ByteTokenizer.BOS);
    }

    @Test
    void badRequestsSurfaceAsSdkErrorsWithOurMessage() {
        assertThatThrownBy(() -> client.chat().completions().create(chat("x").temperature(3.0).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("temperature must be in [0, 2], got 3");
    }

    @Test
    void modelsList() {
        assertThat(client.models().list().data()).extracting(m -> m.id()).containsExactly("demo");
    }
}
