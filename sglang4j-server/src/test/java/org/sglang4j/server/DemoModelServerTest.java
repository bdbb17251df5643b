package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sglang4j.engine.Engine;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.server.cli.ServeCommand;
import org.sglang4j.server.http.Json;
import tools.jackson.databind.JsonNode;

/**
 * The real server in front of the real engine on the built-in demo model (random weights, so the text is
 * meaningless, but every stage runs: tokenizer, chat template, scheduler, radix cache, grammar masks, detokenizer).
 */
class DemoModelServerTest {

    static RecordingEngine engine;
    static SglangServer server;
    static HttpClient http;
    static OpenAIClient openai;

    @BeforeAll
    static void start() throws Exception {
        server = SglangServer.start(ServeCommand.parse("--port", "0", "--warmups", "1", "--enable-metrics"),
                a -> engine = new RecordingEngine(EngineClient.of(Engine.start(a.engineConfig()), a.chatTemplate())));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        openai = OpenAIOkHttpClient.builder().baseUrl(url("/v1")).apiKey("none").maxRetries(0)
                .timeout(Duration.ofSeconds(120)).build();
    }

    @AfterAll
    static void stop() {
        if (openai != null) openai.close();
        if (server != null) server.shutdown(Duration.ofSeconds(5));
    }

    static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(java.net.URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) {
        return Json.MAPPER.readTree(r.body());
    }

    /** The case study's ticket regex, as its curl call sends it, compiled by java.util.regex as the referee. */
    static final Pattern TICKET = Pattern.compile(
            "\\{\"order_id\": \"[A-Z]{2}\\d{12}\", \"status\": \"(pending|processing|refunded)\", \"action\": \"(refund|cancel)\"\\}");

    @Test
    void caseStudyCurlCallReturnsATicketMatchingItsRegex() throws Exception {
        HttpResponse<String> r = post("/generate", GenerateEndpointTest.CASE_STUDY_BODY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        String text = body.get("text").asString();
        assertThat(TICKET.matcher(text).matches()).as(text).isTrue();
        JsonNode ticket = Json.MAPPER.readTree(text);
        assertThat(ticket.propertyNames()).containsExactly("order_id", "status", "action");
        assertThat(body.get("meta_info").get("finish_reason").get("type").asString()).isEqualTo("stop");
        assertThat(body.get("meta_info").get("completion_tokens").asInt()).isEqualTo(body.get("output_ids").size());
    }

    @Test
    void greedyOutputIsTheSameStreamedNonStreamedAndThroughTheSdk() throws Exception {
        String prompt = "<|im_start|>user\nWhere is my order?<|im_end|>\n<|im_start|>assistant\n";
        JsonNode plain = json(post("/generate", "{\"text\": " + Json.write(prompt)
                + ", \"sampling_params\": {\"max_new_tokens\": 12, \"temperature\": 0, \"ignore_eos\": true}}"));
        String expected = plain.get("text").asString();

        HttpResponse<String> streamed = post("/generate", "{\"text\": " + Json.write(prompt)
                + ", \"stream\": true, \"sampling_params\": {\"max_new_tokens\": 12, \"temperature\": 0, \"ignore_eos\": true}}");
        List<String> events = TestServer.events(streamed.body());
        JsonNode last = Json.MAPPER.readTree(events.get(events.size() - 2));
        assertThat(last.get("text").asString()).isEqualTo(expected);
        assertThat(events.getLast()).isEqualTo("[DONE]");

        // The demo model's ChatML template renders the same prompt; its BOS-free encoding is what /generate got
        // after its own BOS-less tokenization of the same text.
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sglang4j-demo")
                .addUserMessage("Where is my order?").maxCompletionTokens(12).temperature(0.0)
                .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build();
        ChatCompletion c = openai.chat().completions().create(params);
        assertThat(c.choices().getFirst().message().content()).hasValue(expected);
        var usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(engine.tokenizer().encode(prompt, false, true).length);
        assertThat(usage.completionTokens()).isEqualTo(12);
        // asked before with the same prompt: the radix cache serves it
        assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow()).isPositive();

        StringBuilder text = new StringBuilder();
        ChatCompletionChunk lastChunk = null;
        try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            for (ChatCompletionChunk ch : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                ch.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
                lastChunk = ch;
            }
        }
        assertThat(text).hasToString(expected);
        assertThat(lastChunk.usage().orElseThrow().completionTokens()).isEqualTo(12);
    }

    @Test
    void jsonSchemaResponseFormatAndForcedToolCallAreValid() {
        Map<String, Object> nlu = Map.of("type", "object",
                "properties", Map.of("intent", Map.of("type", "string", "enum", List.of("refund", "track")),
                        "订单号", Map.of("type", "string", "pattern", "JD[0-9]{6}")),
                "required", List.of("intent", "订单号"));
        ChatCompletion c = openai.chat().completions().create(ChatCompletionCreateParams.builder().model("m")
                .addUserMessage("我要退订单").maxCompletionTokens(80)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("nlu").schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAllAdditionalProperties(Map.of("type", JsonValue.from("object"),
                                        "properties", JsonValue.from(nlu.get("properties")),
                                        "required", JsonValue.from(nlu.get("required")))).build()).build()).build())
                .build());
        JsonNode out = Json.MAPPER.readTree(c.choices().getFirst().message().content().orElseThrow());
        assertThat(out.get("intent").asString()).isIn("refund", "track");
        assertThat(out.get("订单号").asString()).matches("JD[0-9]{6}");

        FunctionDefinition getOrder = FunctionDefinition.builder().name("get_order").parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("order_id", Map.of("type", "string", "pattern", "JD[0-9]{4}"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("order_id"))).build()).build();
        ChatCompletion t = openai.chat().completions().create(ChatCompletionCreateParams.builder().model("m")
                .addUserMessage("where is JD1234").maxCompletionTokens(60).addFunctionTool(getOrder)
                .toolChoice(ChatCompletionNamedToolChoice.builder().function(
                        ChatCompletionNamedToolChoice.Function.builder().name("get_order").build()).build()).build());
        var call = t.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("get_order");
        assertThat(Json.MAPPER.readTree(call.function().arguments()).get("order_id").asString()).matches("JD[0-9]{4}");
        assertThat(t.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    record Bad(String path, String body, String param, String message) {}

    @Test
    void badInputFromTheEngineSideIs400AndTheServerKeepsServing() throws Exception {
        String longText = "订单".repeat(3000);
        List<Bad> rows = List.of(
                new Bad("/generate", "{\"text\": \"a\", \"regex\": \"(\"}", "regex", ""),
                new Bad("/generate", "{\"text\": \"a\", \"json_schema\": \"{\\\"type\\\": \\\"object\\\", \\\"patternProperties\\\": {\\\"x\\\": {}}}\"}",
                        "json_schema", "patternProperties"),
                new Bad("/generate", "{\"text\": \"a\", \"json_schema\": \"{\\\"type\\\": \\\"strange\\\"}\"}", "json_schema", ""),
                new Bad("/generate", "{\"text\": \"" + longText + "\"}", "text", "context length is 4096"),
                new Bad("/generate", "{\"text\": \"a\", \"sampling_params\": {\"max_new_tokens\": 5000}}",
                        "sampling_params.max_new_tokens", "maximum context length is 4096"),
                new Bad("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}], \"response_format\": "
                        + "{\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\", \"schema\": {\"type\": \"object\", \"properties\": "
                        + "{\"a\": {\"type\": \"string\", \"format\": \"ipv9\"}}}}}}", "json_schema", ""));
        for (Bad row : rows) {
            HttpResponse<String> r = post(row.path(), row.body());
            assertThat(r.statusCode()).as(row + " -> " + r.body()).isEqualTo(400);
            JsonNode err = json(r).get("error");
            assertThat(err.get("param").asString()).as(r.body()).isEqualTo(row.param());
            assertThat(err.get("message").asString()).as(r.body()).isNotBlank().contains(row.message());
        }
        HttpResponse<String> ok = post("/generate", "{\"text\": \"still\", \"sampling_params\": {\"max_new_tokens\": 2}}");
        assertThat(ok.statusCode()).isEqualTo(200);
        // Pathological only for backtracking matchers: a DFA compiles it, and an output cut by max_new_tokens is a
        // valid prefix of the language.
        HttpResponse<String> dfa = post("/generate", "{\"text\": \"a\", \"regex\": \"(a|aa)*b{1000}\", "
                + "\"sampling_params\": {\"max_new_tokens\": 16}}");
        assertThat(dfa.statusCode()).isEqualTo(200);
        assertThat(json(dfa).get("text").asString()).matches("a*b*");
    }

    @Test
    void clientDisconnectAbortsTheRequestInTheEngine() throws Exception {
        String body = "{\"text\": \"hi\", \"rid\": \"gone\", \"stream\": true, "
                + "\"sampling_params\": {\"max_new_tokens\": 4000, \"ignore_eos\": true}}";
        try (Socket sock = new Socket("127.0.0.1", server.port())) {
            OutputStream out = sock.getOutputStream();
            out.write(("POST /generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.startsWith("data: "); ) { /* headers */ }
        }
        RobustnessTest.await(() -> engine.finished.containsKey("gone"), "the aborted request to end");
        assertThat(engine.aborted).contains("gone");
        assertThat(engine.finished.get("gone")).isInstanceOf(FinishReason.Abort.class);
        assertThat(engine.completionTokens.get("gone")).isLessThan(4000);
        RobustnessTest.await(() -> engine.stats().runningReqs() == 0, "no running requests");
    }

    @Test
    void fiveHundredConcurrentStreamsAllComplete() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(java.net.URI.create(url("/generate")))
                    .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"text\": \"client " + i + "\", \"stream\": true, \"sampling_params\": {\"max_new_tokens\": 8, \"ignore_eos\": true}}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        int complete = 0;
        for (var f : all) {
            HttpResponse<String> r = f.get(180, TimeUnit.SECONDS);
            List<String> events = TestServer.events(r.body());
            JsonNode last = Json.MAPPER.readTree(events.get(events.size() - 2));
            if (r.statusCode() == 200 && events.getLast().equals("[DONE]")
                    && last.get("meta_info").get("completion_tokens").asInt() == 8) complete++;
        }
        assertThat(complete).isEqualTo(500);
    }

    @Test
    void metricsCarrySglangNames() throws Exception {
        String text = http.send(HttpRequest.newBuilder(java.net.URI.create(url("/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(text).contains("sglang:num_running_reqs").contains("sglang:cache_hit_rate")
                .contains("sglang:prompt_tokens_total").contains("sglang4j:http_requests_total");
    }
}
