package org.sglang4j.server.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.sglang4j.engine.Engine;
import org.sglang4j.server.EngineClient;
import org.sglang4j.server.ServerArgs;
import org.sglang4j.server.SglangServer;
import picocli.CommandLine.Command;

/**
 * {@code sglang4j aot-train} (hidden): the training run for the JDK's ahead-of-time cache (JEP 483/515). The
 * launcher runs it once after a build under {@code -XX:AOTCacheOutput}; it starts the server on the built-in demo
 * model and sends the kinds of request users send (native, OpenAI, streaming, constrained), so the classes they
 * need are loaded, linked and profiled in the cache. Later starts map that cache: start-up and the first requests
 * (GGUF parsing, tokenizer construction, templates, JSON) then skip most class loading and interpretation.
 */
@Command(name = "aot-train", hidden = true, description = "Training run for the JDK AOT cache (used by bin/sglang4j)")
public final class AotTrainCommand implements Callable<Integer> {

    private static final List<String[]> REQUESTS = List.of(
            new String[] {"/generate", "{\"text\": \"Hello, where is my order?\", \"sampling_params\": {\"max_new_tokens\": 16}}"},
            new String[] {"/generate", "{\"prompt\": \"Ticket: \", \"regex\": \"{\\\"order_id\\\": \\\"[A-Z]{2}\\\\d{6}\\\"}\"}"},
            new String[] {"/generate", "{\"text\": \"Stream me\", \"stream\": true, \"sampling_params\": {\"max_new_tokens\": 8}}"},
            new String[] {"/v1/chat/completions", "{\"model\": \"default\", \"max_tokens\": 8, \"messages\": "
                    + "[{\"role\": \"system\", \"content\": \"You help customers.\"}, {\"role\": \"user\", \"content\": \"Hi\"}]}"},
            new String[] {"/v1/chat/completions", "{\"model\": \"default\", \"max_tokens\": 24, \"stream\": true, "
                    + "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"t\", \"schema\": "
                    + "{\"type\": \"object\", \"properties\": {\"intent\": {\"enum\": [\"refund\", \"track\"]}}, "
                    + "\"required\": [\"intent\"]}}}, \"messages\": [{\"role\": \"user\", \"content\": \"Refund please\"}]}"},
            new String[] {"/v1/completions", "{\"model\": \"default\", \"prompt\": \"Once upon a time\", \"max_tokens\": 8}"});

    @Override
    public Integer call() throws Exception {
        ServerArgs args = ServeCommand.parse("--port", "0", "--max-total-tokens", "4096", "--warmups", "1",
                "--log-level", "warning");
        LogSetup.install(args.logLevel());
        try (SglangServer server = SglangServer.start(args,
                a -> EngineClient.of(Engine.start(a.engineConfig()), a.chatTemplate()))) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int round = 0; round < 3; round++) {
                for (String[] r : REQUESTS) {
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(server.url() + r[0]))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofString(r[1])).build(), HttpResponse.BodyHandlers.ofString());
                    if (resp.statusCode() != 200) {
                        System.err.println("aot-train: " + r[0] + " answered " + resp.statusCode() + ": " + resp.body());
                        return 1;
                    }
                }
            }
            server.shutdown(Duration.ofSeconds(5));
        }
        return 0;
    }
}
