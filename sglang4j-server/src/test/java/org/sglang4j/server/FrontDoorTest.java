package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What every request meets before its handler: routing, body limit, auth, CORS, error shape, ops endpoints. */
class FrontDoorTest {

    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("--api-key", "sk-test", "--enable-metrics", "--max-request-body-bytes", "1000",
                "--served-model-name", "demo");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static final String AUTH = "Bearer sk-test";

    static void assertError(HttpResponse<String> r, int status, String type, String messagePart) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode err = TestServer.json(r).get("error");
        assertThat(err.get("type").asString()).isEqualTo(type);
        assertThat(err.get("message").asString()).contains(messagePart);
        assertThat(err.get("code").asInt()).isEqualTo(status);
        assertThat(err.has("param")).isTrue();
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertError(s.get("/nope", "Authorization", AUTH), 404, "not_found_error", "no route for GET /nope");
        assertError(s.get("/generate", "Authorization", AUTH), 405, "invalid_request_error", "use POST or PUT");
    }

    @Test
    void apiKeyIsRequiredExceptForHealthAndMetrics() throws Exception {
        assertError(s.post("/generate", "{\"text\": \"a\"}"), 401, "authentication_error", "missing API key");
        HttpResponse<String> wrong = s.post("/generate", "{\"text\": \"a\"}", "Authorization", "Bearer nope");
        assertError(wrong, 401, "authentication_error", "invalid API key");
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(s.post("/generate", "{\"text\": \"a\"}", "Authorization", AUTH).statusCode()).isEqualTo(200);
        assertThat(s.get("/health").statusCode()).isEqualTo(200);
        assertThat(s.get("/metrics").statusCode()).isEqualTo(200);
        assertError(s.get("/v1/models"), 401, "authentication_error", "missing API key");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"text\": \"" + "a".repeat(2000) + "\"}";
        assertError(s.post("/generate", big, "Authorization", AUTH), 413, "invalid_request_error",
                "exceeds the limit of 1000 bytes");
    }

    @Test
    void chunkedBodyOverTheLimitIs413Too() throws Exception {
        // No Content-Length: the limit is enforced while reading.
        try (Socket sock = new Socket("127.0.0.1", s.server.port())) {
            OutputStream out = sock.getOutputStream();
            String chunk = "a".repeat(1500);
            out.write(("POST /generate HTTP/1.1\r\nHost: x\r\nAuthorization: " + AUTH
                    + "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void corsPreflightNeedsNoKeyAndListsMethods() throws Exception {
        HttpResponse<String> r = s.client.send(HttpRequest.newBuilder(s.uri("/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:8080")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization, content-type");
        assertThat(s.get("/health").headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void metricsJoinEngineAndHttpCounters() throws Exception {
        s.get("/health");
        HttpResponse<String> r = s.get("/metrics");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).contains("sglang:num_running_reqs{model_name=\"scripted\"} 0")
                .contains("sglang4j:http_requests_total{method=\"GET\",path=\"/health\",status=\"200\"}")
                .contains("sglang4j:http_request_duration_seconds_count");
    }

    @Test
    void modelAndServerInfo() throws Exception {
        JsonNode info = TestServer.json(s.get("/get_model_info", "Authorization", AUTH));
        assertThat(info.get("model_path").asString()).isEqualTo("scripted-model");
        assertThat(info.get("is_generation").asBoolean()).isTrue();
        assertThat(info.get("served_model_name").asString()).isEqualTo("demo");
        JsonNode server = TestServer.json(s.get("/get_server_info", "Authorization", AUTH));
        assertThat(server.get("port").asInt()).isZero();
        assertThat(server.get("api_key").asString()).isEqualTo("<redacted>");
        assertThat(server.get("max_total_num_tokens").asInt()).isEqualTo(4096);
        assertThat(server.get("internal_states").get(0).get("cache_hit_rate").asDouble()).isEqualTo(0.5);
        JsonNode mem = server.get("internal_states").get(0).get("memory_usage");
        assertThat(mem.get("token_capacity").asInt()).isEqualTo(4096);
        // This server runs in the test's JVM, whose resident set (heap, JIT, classes) is well over 20 MB.
        assertThat(mem.get("resident").asDouble()).as("GB").isGreaterThan(0.02).isLessThan(64);
        JsonNode models = TestServer.json(s.get("/v1/models", "Authorization", AUTH));
        assertThat(models.get("data").get(0).get("id").asString()).isEqualTo("demo");
        assertThat(models.get("data").get(0).get("max_model_len").asInt()).isEqualTo(512);
        assertThat(s.get("/v1/models/demo", "Authorization", AUTH).statusCode()).isEqualTo(200);
        assertError(s.get("/v1/models/gpt-4", "Authorization", AUTH), 404, "not_found_error", "The model 'gpt-4' does not exist");
    }

    @Test
    void flushCacheAbortAndSessions() throws Exception {
        HttpResponse<String> flush = s.post("/flush_cache", "", "Authorization", AUTH);
        assertThat(flush.statusCode()).isEqualTo(200);
        assertThat(flush.body()).startsWith("Cache flushed.");

        HttpResponse<String> open = s.post("/open_session", "{\"capacity_of_str_len\": 1000, \"session_id\": \"s1\"}", "Authorization", AUTH);
        assertThat(open.body()).isEqualTo("\"s1\"");
        assertError(s.post("/open_session", "{\"capacity_of_str_len\": 1000, \"session_id\": \"s1\"}", "Authorization", AUTH),
                400, "invalid_request_error", "already open");
        assertThat(s.post("/close_session", "{\"session_id\": \"s1\"}", "Authorization", AUTH).statusCode()).isEqualTo(200);
        assertError(s.post("/close_session", "{\"session_id\": \"s1\"}", "Authorization", AUTH), 404, "not_found_error", "not open");
        assertError(s.post("/abort_request", "{}", "Authorization", AUTH), 400, "invalid_request_error", "give rid");
        assertThat(s.post("/abort_request", "{\"rid\": \"whatever\"}", "Authorization", AUTH).statusCode()).isEqualTo(200);
    }
}
