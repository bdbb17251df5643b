package org.sglang4j.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sglang4j.bench.TinyModel;
import org.sglang4j.bench.workload.Conversation;
import org.sglang4j.bench.workload.Turn;
import org.sglang4j.core.tokenizer.Tokenizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runner's scheduling against a stand-in server that streams SGLang-style /generate events ("w0 w1 …",
 * 10 ms apart) and records what it received: concurrency limits hold, a conversation's turns go in order and carry
 * the earlier answers, and the timings and counts come out of the stream.
 */
class ServingRunnerTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Tokenizer TOK = TinyModel.qwen2Tokenizer();

    private HttpServer server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private final List<String> prompts = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/generate", ex -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
                prompts.add(req.get("text").asString());
                int n = req.at("/sampling_params/max_new_tokens").asInt();
                int id = counter.incrementAndGet();
                ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        Thread.sleep(10);
                        text.append("r").append(id).append("w").append(i).append(' ');
                        String finish = i == n - 1 ? "{\"type\":\"length\",\"length\":" + n + "}" : "null";
                        String event = "data: {\"text\":\"" + text + "\",\"meta_info\":{\"prompt_tokens\":42,"
                                + "\"completion_tokens\":" + (i + 1) + ",\"cached_tokens\":21,\"finish_reason\":" + finish + "}}\n\n";
                        out.write(event.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ServingRunner runner(double rate, int maxConcurrency) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ServingClient client = new ServingClient(url, Backend.SGLANG4J, null, TOK, Duration.ofSeconds(30), null);
        return new ServingRunner(client, TOK, rate, maxConcurrency, 7, true, null, true);
    }

    @Test
    void multiTurnConversationsRespectTheConcurrencyLimitAndResendTheirHistory() throws Exception {
        List<Conversation> convs = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            convs.add(new Conversation(c, "policy " + c, List.of(new Turn("q0 of " + c, 3, 3), new Turn("q1 of " + c, 3, 4),
                    new Turn("q2 of " + c, 3, 2)), true));
        }
        ServingRunner.Outcome o = runner(Double.POSITIVE_INFINITY, 2).run(convs, "test");
        assertThat(o.results()).hasSize(12).allMatch(RequestResult::success);
        assertThat(maxInFlight.get()).isEqualTo(2);
        for (int c = 0; c < 4; c++) {
            int conv = c;
            List<RequestResult> turns = o.results().stream().filter(r -> r.conversation() == conv)
                    .sorted((a, b) -> Integer.compare(a.turn(), b.turn())).toList();
            assertThat(turns).extracting(RequestResult::turn).containsExactly(0, 1, 2);
            assertThat(turns).extracting(RequestResult::outputTokens).containsExactly(3, 4, 2);
            for (int k = 1; k < 3; k++) {
                assertThat(turns.get(k).startS()).isGreaterThanOrEqualTo(turns.get(k - 1).startS() + turns.get(k - 1).latencyS() - 1e-3);
                String answer = turns.get(k - 1).text();
                int turn = k;
                assertThat(prompts).anySatisfy(p -> assertThat(p)
                        .contains("<|im_start|>assistant\n" + answer + "<|im_end|>\n<|im_start|>user\nq" + turn + " of " + conv));
            }
        }
        RequestResult r = o.results().getFirst();
        assertThat(r.promptTokens()).isEqualTo(42);
        assertThat(r.cachedTokens()).isEqualTo(21);
        assertThat(r.ttftS()).isPositive().isLessThan(r.latencyS());
        assertThat(r.itlS()).hasSize(r.outputTokens() - 1);
        assertThat(ServingMetrics.compute(o.results(), o.durationS()).cacheHitRate()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void unlimitedConcurrencySendsEverythingAtOnce() throws Exception {
        List<Conversation> convs = new ArrayList<>();
        for (int c = 0; c < 6; c++) convs.add(Conversation.single(c, new Turn("prompt " + c, 2, 5)));
        ServingRunner.Outcome o = runner(Double.POSITIVE_INFINITY, 0).run(convs, "test");
        assertThat(o.results()).hasSize(6).allMatch(RequestResult::success);
        assertThat(maxInFlight.get()).isGreaterThan(1);
        assertThat(prompts).contains("prompt 0", "prompt 5");
    }

    @Test
    void poissonArrivalsHaveTheRequestedMeanGap() {
        double[] at = runner(4.0, 0).arrivals(4000);
        assertThat(at[0]).isZero();
        for (int i = 1; i < at.length; i++) assertThat(at[i]).isGreaterThanOrEqualTo(at[i - 1]);
        // mean gap 1/rate = 0.25 s; the standard error over 4000 exponential gaps is 0.25/sqrt(4000) ≈ 0.004
        assertThat(at[at.length - 1] / (at.length - 1)).isCloseTo(0.25, within(0.02));
        assertThat(runner(Double.POSITIVE_INFINITY, 0).arrivals(5)).containsOnly(0.0);
    }

    @Test
    void aStreamThatStallsAfterItsHeadersFailsAtTheRequestTimeout() throws Exception {
        server.removeContext("/generate");
        server.createContext("/generate", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write("data: {\"text\":\"a\",\"meta_info\":{\"finish_reason\":null}}\n\n"
                    .getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ServingClient client = new ServingClient(url, Backend.SGLANG4J, null, TOK, Duration.ofSeconds(1), null);
        long t0 = System.nanoTime();
        RequestResult r = client.send(GenerationRequest.ofPrompt("p", 4, true, null, true), 0, 0, 1, t0);
        assertThat(r.success()).isFalse();
        assertThat(r.error()).isEqualTo("no complete response within 1 s (--request-timeout)");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
    }

    @Test
    void failuresAreRecordedAndTheRestOfTheConversationSkipped() throws Exception {
        server.removeContext("/generate");
        server.createContext("/generate", ex -> {
            byte[] b = "{\"error\":{\"message\":\"prompt too long\"}}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(400, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        Conversation c = new Conversation(0, "p", List.of(new Turn("a", 1, 2), new Turn("b", 1, 2)), true);
        ServingRunner.Outcome o = runner(Double.POSITIVE_INFINITY, 1).run(List.of(c), "test");
        assertThat(o.results()).hasSize(1);
        assertThat(o.results().getFirst().success()).isFalse();
        assertThat(o.results().getFirst().error()).contains("HTTP 400", "prompt too long");
        assertThat(o.skipped()).isEqualTo(1);
    }
}
