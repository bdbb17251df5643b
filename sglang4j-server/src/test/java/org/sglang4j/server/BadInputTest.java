package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every bad input gets a 400 in OpenAI's error shape, with a message that says what to fix and {@code param} naming
 * the field. One row per mistake; the server keeps serving (the last check of each row).
 */
class BadInputTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start();
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    record Row(String path, String body, String param, String message) {
        @Override
        public String toString() {
            return path + " " + (body.length() > 70 ? body.substring(0, 67) + "..." : body);
        }
    }

    static final String CHAT = "/v1/chat/completions";
    static final String MSG = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
    static final String TOOLS = "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"get_order\", "
            + "\"parameters\": {\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}}}}]";

    static Stream<Row> rows() {
        String longText = "x".repeat(600);
        return Stream.of(
                new Row("/generate", "{\"text\": ", null, "request body is not valid JSON"),
                new Row("/generate", "", null, "request body is empty"),
                new Row("/generate", "[1, 2]", null, "request body must be a JSON object, got list [1,2]"),
                new Row("/generate", "{}", "text", "the request needs text (or prompt) or input_ids"),
                new Row("/generate", "{\"text\": \"a\", \"input_ids\": [1]}", "input_ids", "give either text or input_ids"),
                new Row("/generate", "{\"text\": 5}", "text", "text must be a string or a list of strings, got 5"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"max_new_tokens\": \"ten\"}}",
                        "sampling_params.max_new_tokens", "sampling_params.max_new_tokens must be an integer, got string \"ten\""),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"max_new_tokens\": 1.5}}",
                        "sampling_params.max_new_tokens", "must be an integer, got 1.5"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"max_new_tokens\": -1}}",
                        "sampling_params.max_new_tokens", "sampling_params.max_new_tokens must be >= 0, got -1"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"max_new_tokens\": 99999999999}}",
                        "sampling_params.max_new_tokens", "out of range for a 32-bit integer"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"temperature\": -0.1}}",
                        "sampling_params.temperature", "temperature must be a finite value >= 0"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"top_p\": 0}}",
                        "sampling_params.top_p", "top_p must be in (0, 1]"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"top_k\": 0}}",
                        "sampling_params.top_k", "top_k must be -1 (disabled) or >= 1"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"min_p\": 1.5}}",
                        "sampling_params.min_p", "min_p must be in [0, 1]"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"frequency_penalty\": 3}}",
                        "sampling_params.frequency_penalty", "frequency_penalty must be in [-2, 2]"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"repetition_penalty\": 0}}",
                        "sampling_params.repetition_penalty", "repetition_penalty must be in (0, 2]"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"min_new_tokens\": 5, \"max_new_tokens\": 2}}",
                        "sampling_params.min_new_tokens", "min_new_tokens must be in [0, max_new_tokens]"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"n\": 0}}", "sampling_params.n", "n must be >= 1"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"stop\": [\"\"]}}",
                        "sampling_params.stop", "stop strings must be non-empty"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"temprature\": 0.5}}",
                        "sampling_params.temprature", "unknown field 'sampling_params.temprature'"),
                new Row("/generate", "{\"text\": \"a\", \"foo\": 1}", "foo", "unknown field 'foo'"),
                new Row("/generate", "{\"text\": \"a\", \"image_data\": \"x.png\"}", "image_data", "image_data is not supported"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"stop_regex\": \"x\"}}",
                        "sampling_params.stop_regex", "stop_regex is not supported"),
                new Row("/generate", "{\"text\": \"a\", \"regex\": \"a+\", \"json_schema\": \"{}\"}",
                        "json_schema", "only one of regex, json_schema, ebnf and choices may be set"),
                new Row("/generate", "{\"text\": \"a\", \"regex\": \"a\", \"sampling_params\": {\"regex\": \"b\"}}",
                        "sampling_params.regex", "regex is given both at the top level and in sampling_params"),
                new Row("/generate", "{\"text\": \"a\", \"json_schema\": \"{not json\"}", "json_schema", "json_schema is not valid JSON"),
                new Row("/generate", "{\"text\": \"a\", \"json_schema\": \"[1]\"}", "json_schema", "must be a JSON schema object"),
                new Row("/generate", "{\"text\": \"a\", \"choices\": []}", "choices", "choices must list at least one string"),
                new Row("/generate", "{\"text\": \"a\", \"regex\": \"(\"}", "regex", "invalid regex '(': missing )"),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"logit_bias\": {\"abc\": 1}}}",
                        "sampling_params.logit_bias", "keys must be token ids, got \"abc\""),
                new Row("/generate", "{\"text\": \"a\", \"sampling_params\": {\"logit_bias\": {\"9999\": 1}}}",
                        "sampling_params.logit_bias", "token id 9999 is outside the vocabulary [0, 258)"),
                new Row("/generate", "{\"input_ids\": [1, 999]}", "input_ids", "token id 999, outside the vocabulary [0, 258)"),
                new Row("/generate", "{\"input_ids\": [1, \"a\"]}", "input_ids[1]", "input_ids[1] must be an integer"),
                new Row("/generate", "{\"text\": \"" + longText + "\"}", "text",
                        "the prompt has 601 tokens, but the model's context length is 512 tokens"),
                new Row("/generate", "{\"text\": [\"a\", \"b\"], \"sampling_params\": [{}]}", "sampling_params",
                        "sampling_params has 1 entries but the batch has 2 prompts"),
                new Row("/generate", "{\"text\": \"a\", \"stream\": \"yes\"}", "stream", "stream must be true or false, got string \"yes\""),
                new Row("/generate", "{\"text\": \"a\", \"top_logprobs_num\": -1}", "top_logprobs_num", "top_logprobs_num must be in [0, 258]"),
                new Row("/generate", "{\"text\": \"a\", \"logprob_start_len\": -2}", "logprob_start_len", "logprob_start_len must be >= -1"),
                new Row("/generate", "{\"text\": \"a\", \"session_params\": {\"rid\": \"x\"}}", "session_params.id", "session_params.id is required"),
                new Row("/generate", "{\"text\": \"a\", \"rid\": \"r1\", \"sampling_params\": {\"n\": 2}, \"session_params\": {\"id\": \"s\"}}",
                        "session_params", "session_params cannot be combined with n > 1"),

                new Row(CHAT, "{\"model\": \"m\"}", "messages", "messages is required"),
                new Row(CHAT, "{\"messages\": []}", "messages", "messages must be a non-empty list of messages"),
                new Row(CHAT, "{\"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}", "messages[0].role",
                        "messages[0].role must be one of system, developer, user, assistant, tool, got \"robot\""),
                new Row(CHAT, "{\"messages\": [{\"role\": \"user\"}]}", "messages[0].content", "messages[0].content is required"),
                new Row(CHAT, "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}",
                        "messages[0].content[0].type", "this server accepts text content only"),
                new Row(CHAT, "{" + MSG + ", \"temperature\": 3}", "temperature", "temperature must be in [0, 2], got 3"),
                new Row(CHAT, "{" + MSG + ", \"max_tokens\": -5}", "max_tokens", "max_tokens must be >= 0, got -5"),
                new Row(CHAT, "{" + MSG + ", \"max_completion_tokens\": \"many\"}", "max_completion_tokens", "must be an integer"),
                new Row(CHAT, "{" + MSG + ", \"n\": 0}", "n", "n must be in [1, 128], got 0"),
                new Row(CHAT, "{" + MSG + ", \"top_p\": 1.5}", "top_p", "top_p must be in (0, 1]"),
                new Row(CHAT, "{" + MSG + ", \"presence_penalty\": -3}", "presence_penalty", "presence_penalty must be in [-2, 2]"),
                new Row(CHAT, "{" + MSG + ", \"top_logprobs\": 3}", "top_logprobs", "top_logprobs needs logprobs: true"),
                new Row(CHAT, "{" + MSG + ", \"logprobs\": true, \"top_logprobs\": 21}", "top_logprobs", "must be in [0, 20]"),
                new Row(CHAT, "{" + MSG + ", \"logit_bias\": {\"5\": 150}}", "logit_bias", "logit_bias values must be in [-100, 100]"),
                new Row(CHAT, "{" + MSG + ", \"stop\": 5}", "stop", "stop must be a string or a list of strings"),
                new Row(CHAT, "{" + MSG + ", \"stream_options\": {\"include_usage\": true}}", "stream_options",
                        "stream_options is only allowed when stream is true"),
                new Row(CHAT, "{" + MSG + ", \"tool_choice\": \"required\"}", "tool_choice", "needs a non-empty tools list"),
                new Row(CHAT, "{" + MSG + ", " + TOOLS + ", \"tool_choice\": \"always\"}", "tool_choice", "tool_choice must be none, auto, required"),
                new Row(CHAT, "{" + MSG + ", " + TOOLS + ", \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"refund\"}}}",
                        "tool_choice.function", "tool_choice names function \"refund\", which is not in tools"),
                new Row(CHAT, "{" + MSG + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"bad name\"}}]}",
                        "tools[0].function.name", "must be 1-64 letters"),
                new Row(CHAT, "{" + MSG + ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": 3}}]}",
                        "tools[0].function.parameters", "must be a JSON schema object"),
                new Row(CHAT, "{" + MSG + ", \"response_format\": {\"type\": \"xml\"}}", "response_format.type",
                        "response_format.type must be text, json_object or json_schema, got \"xml\""),
                new Row(CHAT, "{" + MSG + ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\"}}}",
                        "response_format.json_schema", "needs json_schema.schema"),
                new Row(CHAT, "{" + MSG + ", " + TOOLS + ", \"tool_choice\": \"required\", \"response_format\": {\"type\": \"json_object\"}}",
                        "tool_choice", "cannot be combined with response_format"),
                new Row(CHAT, "{" + MSG + ", \"regex\": \"a\", \"response_format\": {\"type\": \"json_object\"}}",
                        "response_format", "response_format cannot be combined with regex"),
                new Row(CHAT, "{\"messages\": [{\"role\": \"user\", \"content\": \"" + "y".repeat(400) + "\"}], \"max_tokens\": 100}",
                        "max_completion_tokens", "This model's maximum context length is 512 tokens"),
                new Row(CHAT, "{" + MSG + ", \"continue_final_message\": true}", "continue_final_message",
                        "needs the last message to be from the assistant"),
                new Row(CHAT, "{" + MSG + ", \"functions\": []}", "functions", "functions is not supported"),

                new Row("/v1/completions", "{\"model\": \"m\"}", "prompt", "prompt is required"),
                new Row("/v1/completions", "{\"prompt\": [[]]}", "prompt", "a token-id prompt must not be empty"),
                new Row("/v1/completions", "{\"prompt\": [true]}", "prompt", "prompt[0] must be a string or a list of token ids"),
                new Row("/v1/completions", "{\"prompt\": \"a\", \"suffix\": \"b\"}", "suffix", "suffix is not supported"),
                new Row("/v1/completions", "{\"prompt\": \"a\", \"best_of\": 3}", "best_of", "best_of is not supported"),
                new Row("/v1/completions", "{\"prompt\": \"a\", \"logprobs\": 30}", "logprobs", "logprobs must be in [0, 20]"),
                new Row("/v1/completions", "{\"prompt\": \"a\", \"max_tokens\": 600}", "max_tokens", "maximum context length is 512"),
                new Row("/v1/completions", "{\"prompt\": \"a\", \"min_tokens\": 20, \"max_tokens\": 5}", "min_tokens",
                        "min_tokens must be in [0, max_new_tokens]"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void rejectedWith400(Row row) throws Exception {
        HttpResponse<String> r = s.post(row.path(), row.body());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode err = TestServer.json(r).get("error");
        assertThat(err.get("message").asString()).contains(row.message());
        assertThat(err.get("type").asString()).isEqualTo("invalid_request_error");
        if (row.param() == null) assertThat(err.get("param").isNull()).isTrue();
        else assertThat(err.get("param").asString()).isEqualTo(row.param());
        assertThat(err.get("code").asInt()).isEqualTo(400);
        // and the server still serves
        assertThat(s.post("/generate", "{\"text\": \"ok\"}").statusCode()).isEqualTo(200);
    }
}
