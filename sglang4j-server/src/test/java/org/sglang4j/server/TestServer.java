package org.sglang4j.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sglang4j.server.cli.ServeCommand;
import org.sglang4j.server.http.Json;
import tools.jackson.databind.JsonNode;

/** A real {@link SglangServer} on a free port in front of a {@link ScriptedEngine}, plus a small HTTP client. */
final class TestServer implements AutoCloseable {

    final ScriptedEngine engine;
    final SglangServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(ScriptedEngine engine, SglangServer server) {
        this.engine = engine;
        this.server = server;
    }

    /** {@code flags} are {@code sglang4j serve} flags; port 0 and no warm-ups unless given. */
    static TestServer start(String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--warmups", "0"));
        args.addAll(List.of(flags));
        ScriptedEngine engine = new ScriptedEngine();
        return new TestServer(engine, SglangServer.start(ServeCommand.parse(args.toArray(String[]::new)), a -> engine));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) {
        return Json.MAPPER.readTree(r.body());
    }

    /** The JSON payloads of an SSE body, in order, ending with the literal {@code [DONE]}. */
    static List<String> events(String sseBody) {
        List<String> out = new ArrayList<>();
        for (String block : sseBody.split("\n\n")) {
            if (block.isEmpty()) continue;
            if (!block.startsWith("data: ")) throw new AssertionError("not an SSE data event: " + block);
            out.add(block.substring("data: ".length()));
        }
        return out;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ZERO);
    }
}
