package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade: {@code bin/sglang4j serve} in its own process gets SIGTERM while a stream runs. The stream
 * must finish, new requests get 503 meanwhile, and the process must exit 0. The grace period is generous: on a
 * loaded 2-core machine 2000 tokens may take a minute or two.
 */
class SigtermTest {

    static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void sigtermDrainsTheRunningStreamAndExitsZero() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "org.sglang4j.server.cli.Main", "serve", "--port", Integer.toString(port), "--warmups", "0",
                "--graceful-shutdown-timeout", "240")
                .redirectErrorStream(true).start();
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) log.add(line);
            } catch (java.io.IOException ignored) {
                // process gone
            }
        });
        try {
            RobustnessTest.await(() -> log.stream().anyMatch(l -> l.contains("ready: http://")) || !p.isAlive(), "ready");
            assertThat(p.isAlive()).as(String.join("\n", log)).isTrue();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI generate = URI.create("http://127.0.0.1:" + port + "/generate");
            CompletableFuture<HttpResponse<String>> stream = http.sendAsync(HttpRequest.newBuilder(generate).POST(
                    HttpRequest.BodyPublishers.ofString("{\"text\": \"upgrade\", \"stream\": true, "
                            + "\"sampling_params\": {\"max_new_tokens\": 2000, \"ignore_eos\": true}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            RobustnessTest.await(() -> log.stream().anyMatch(l -> l.contains("Prefill batch")), "the stream to start");

            // SIGTERM. Not p.destroy(): that also closes our end of the child's output, hiding its last log lines.
            assertThat(p.toHandle().destroy()).isTrue();
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            RobustnessTest.await(() -> status(http, health) == 503, "health to turn 503 while draining");
            HttpResponse<String> late = http.send(HttpRequest.newBuilder(generate)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"late\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(late.headers().firstValue("Retry-After")).hasValue("1");

            HttpResponse<String> done = stream.get(300, TimeUnit.SECONDS);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            List<String> events = TestServer.events(done.body());
            assertThat(events.getLast()).isEqualTo("[DONE]");
            assertThat(events.get(events.size() - 2)).contains("\"completion_tokens\":2000");
            Thread.sleep(200); // the last log lines
            assertThat(log).anyMatch(l -> l.contains("received SIGTERM"))
                    .anyMatch(l -> l.contains("draining 1 in-flight request(s)"))
                    .noneMatch(l -> l.contains("aborting"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nserver log:\n" + String.join("\n", log), e);
        } finally {
            p.destroyForcibly();
        }
    }
}
