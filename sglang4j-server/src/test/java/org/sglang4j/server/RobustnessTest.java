package org.sglang4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.sglang4j.server.cli.ServeCommand;
import org.sglang4j.server.http.Lifecycle;

/** Disconnects, start-up, graceful drain and many concurrent streams, against a scripted engine. */
class RobustnessTest {

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void clientDisconnectMidStreamAbortsTheRequest() throws Exception {
        try (TestServer s = TestServer.start("--enable-metrics")) {
            s.engine.reply = r -> "x".repeat(500);
            s.engine.tokenDelayMillis = 5;
            String body = "{\"text\": \"hi\", \"rid\": \"gone-1\", \"stream\": true, \"sampling_params\": {\"max_new_tokens\": 500}}";
            try (Socket sock = new Socket("127.0.0.1", s.server.port())) {
                OutputStream out = sock.getOutputStream();
                out.write(("POST /generate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.contains("data: ")) { /* headers, chunk sizes */ }
                assertThat(line).contains("\"text\":\"x\"");
            } // closed mid-stream
            await(() -> s.engine.aborted.contains("gone-1"), "the abort of gone-1");
            await(() -> s.engine.running.isEmpty(), "the engine to finish the aborted request");
            await(() -> s.server.context().registry().size() == 0, "the registry to forget gone-1");
            assertThat(s.get("/metrics").body()).contains("sglang4j:http_client_disconnects_total 1");
        }
    }

    @Test
    void abortRequestEndsARunningRequestWithItsPartialOutput() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.engine.reply = r -> "y".repeat(400);
            s.engine.tokenDelayMillis = 5;
            CompletableFuture<HttpResponse<String>> running = s.client.sendAsync(HttpRequest.newBuilder(s.uri("/generate"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"a\", \"rid\": \"long\", \"sampling_params\": {\"max_new_tokens\": 400}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            await(() -> s.engine.running.contains("long"), "the request to start");
            assertThat(s.post("/abort_request", "{\"rid\": \"long\"}").statusCode()).isEqualTo(200);
            HttpResponse<String> r = running.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            var meta = TestServer.json(r).get("meta_info");
            assertThat(meta.get("finish_reason").get("type").asString()).isEqualTo("abort");
            assertThat(meta.get("finish_reason").get("status_code").asInt()).isEqualTo(499);
            assertThat(meta.get("completion_tokens").asInt()).isLessThan(400);
        }
    }

    @Test
    void startingServerAnswers503WithRetryAfterUntilReadyAndWarmUpsPassTheGate() throws Exception {
        ScriptedEngine engine = new ScriptedEngine();
        CountDownLatch release = new CountDownLatch(1);
        // Fixed free port so the test can talk to the server before start() returns.
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var args = ServeCommand.parse("--port", Integer.toString(port), "--warmups", "2");
        CompletableFuture<SglangServer> started = CompletableFuture.supplyAsync(() -> {
            try {
                return SglangServer.start(args, a -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return engine;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var client = java.net.http.HttpClient.newHttpClient();
        java.net.URI health = java.net.URI.create("http://127.0.0.1:" + port + "/health");
        HttpResponse<String> r = null;
        for (int i = 0; i < 500 && r == null; i++) {
            try {
                r = client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException notYet) {
                Thread.sleep(10);
            }
        }
        assertThat(r).isNotNull();
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.body()).contains("server is starting");
        HttpResponse<String> gen = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"a\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gen.statusCode()).isEqualTo(503);
        release.countDown();
        SglangServer server = started.get(10, TimeUnit.SECONDS);
        try {
            assertThat(engine.submitted).hasSize(2); // the warm-ups, sent before ready
            assertThat(engine.submitted.getFirst().sampling().maxNewTokens()).isEqualTo(8);
            assertThat(client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        } finally {
            server.shutdown(Duration.ZERO);
        }
    }

    @Test
    void drainLetsInFlightRequestsFinishAndRefusesNewOnes() throws Exception {
        TestServer s = TestServer.start();
        s.engine.reply = r -> "z".repeat(60);
        s.engine.tokenDelayMillis = 10;
        CompletableFuture<HttpResponse<String>> inFlight = s.client.sendAsync(HttpRequest.newBuilder(s.uri("/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"a\", \"stream\": true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        await(() -> !s.engine.running.isEmpty(), "the stream to start");
        // The same path SIGTERM takes.
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> s.server.shutdown(Duration.ofSeconds(30)));
        await(() -> s.server.context().lifecycle().state() == Lifecycle.State.DRAINING, "draining");
        HttpResponse<String> health = s.get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        HttpResponse<String> refused = s.post("/generate", "{\"text\": \"late\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(TestServer.json(refused).get("error").get("message").asString()).contains("shutting down");

        HttpResponse<String> done = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).endsWith("data: [DONE]\n\n");
        assertThat(done.body()).contains("\"text\":\"" + "z".repeat(60) + "\"");
        assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(s.engine.aborted).isEmpty();
        assertThat(s.engine.closed).isTrue();
        assertThat(s.server.context().lifecycle().state()).isEqualTo(Lifecycle.State.STOPPED);
    }

    @Test
    void drainPastTheGracePeriodAbortsWhatIsLeft() throws Exception {
        TestServer s = TestServer.start();
        s.engine.reply = r -> "z".repeat(400);
        s.engine.tokenDelayMillis = 20;
        CompletableFuture<HttpResponse<String>> inFlight = s.client.sendAsync(HttpRequest.newBuilder(s.uri("/generate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"a\", \"rid\": \"slow\", \"sampling_params\": {\"max_new_tokens\": 400}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        await(() -> s.engine.running.contains("slow"), "the request to start");
        assertThat(s.server.shutdown(Duration.ofMillis(200))).isFalse();
        assertThat(s.engine.aborted).contains("slow");
        assertThat(s.engine.closed).isTrue();
        inFlight.cancel(true);
    }

    @Test
    void fiveHundredConcurrentStreamsAllComplete() throws Exception {
        try (TestServer s = TestServer.start()) {
            s.engine.reply = r -> "0123456789";
            s.engine.tokenDelayMillis = 2;
            var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                all.add(client.sendAsync(HttpRequest.newBuilder(s.uri("/generate")).timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"c" + i + "\", \"stream\": true}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            for (var f : all) {
                HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 200 && r.body().endsWith("data: [DONE]\n\n")
                        && r.body().contains("\"text\":\"0123456789\",\"output_ids\":[48,49,50,51,52,53,54,55,56,57]")) ok++;
            }
            assertThat(ok).isEqualTo(500);
            assertThat(s.engine.submitted).hasSize(500);
        }
    }

    @Test
    void healthGenerateRunsOneToken() throws Exception {
        try (TestServer s = TestServer.start()) {
            assertThat(s.get("/health_generate").statusCode()).isEqualTo(200);
            var probe = s.engine.submitted.getFirst();
            assertThat(probe.rid()).startsWith("HEALTH_CHECK_");
            assertThat(probe.sampling().maxNewTokens()).isEqualTo(1);
            assertThat(probe.logMetrics()).isFalse();
            assertThat(probe.inputIds()).containsExactly(ByteTokenizer.BOS);
        }
    }
}
