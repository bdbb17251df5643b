package org.sglang4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.engine.testing.CharTokenizer;
import org.sglang4j.engine.testing.FakeModels;
import org.sglang4j.engine.testing.TokenHashModel;

/** The Engine API end to end over the token-hash model: outputs, text, validation, metrics, lifecycle. */
class EngineTest {
    static final int VOCAB = 40;
    final TokenHashModel[] model = new TokenHashModel[1];
    Engine engine;

    Engine start(EngineConfig config) {
        engine = Engine.start(config, FakeModels.tokenHash(VOCAB, 2048, model));
        return engine;
    }

    static EngineConfig config() {
        return EngineConfig.defaults(null).withMaxTotalTokens(4096).withThreads(1).withWarmups(1);
    }

    @AfterEach
    void stop() {
        if (engine != null) engine.close();
    }

    /** Collects one request's outputs. */
    static final class Collector {
        final List<GenerateOutput> outputs = new ArrayList<>();
        final CompletableFuture<GenerateOutput> done = new CompletableFuture<>();
        volatile String thread;

        synchronized void add(GenerateOutput o) {
            thread = Thread.currentThread().getName();
            outputs.add(o);
            if (o.finished()) done.complete(o);
        }

        GenerateOutput await() {
            try {
                return done.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        synchronized String text() {
            StringBuilder sb = new StringBuilder();
            for (GenerateOutput o : outputs) sb.append(o.textDelta());
            return sb.toString();
        }

        synchronized int[] tokens() {
            return outputs.stream().flatMapToInt(o -> java.util.Arrays.stream(o.newTokenIds())).toArray();
        }
    }

    Collector submit(GenerateRequest r) {
        Collector c = new Collector();
        engine.submit(r, c::add);
        return c;
    }

    static int[] ids(String text) {
        return new CharTokenizer(VOCAB).encode(text, true, false);
    }

    @Test
    void streamsTokensAndTextFromTheOutputThread() {
        start(config());
        int[] prompt = ids("once upon a time");
        Collector c = submit(GenerateRequest.of("a", prompt, SamplingParams.builder().temperature(0).maxNewTokens(20).build()));
        GenerateOutput last = c.await();
        int[] expected = model[0].referenceGreedy(prompt, 20, 0, new int[] {2}, false);
        assertThat(c.tokens()).isEqualTo(expected);
        String expectedText = new CharTokenizer(VOCAB).decode(expected, true);
        assertThat(c.text()).isEqualTo(expected[expected.length - 1] == 2
                ? new CharTokenizer(VOCAB).decode(java.util.Arrays.copyOf(expected, expected.length - 1), true)
                : expectedText);
        assertThat(c.thread).isEqualTo("sglang4j-detokenizer");
        assertThat(last.promptTokens()).isEqualTo(prompt.length);
        assertThat(last.completionTokens()).isEqualTo(expected.length);
        assertThat(c.outputs.size()).isGreaterThan(1); // streamed, not one final blob
    }

    @Test
    void generateCompletesWithTheWholeOutput() throws Exception {
        start(config());
        int[] prompt = ids("once upon a time");
        int[] expected = model[0].referenceGreedy(prompt, 12, 0, new int[0], true);
        var result = engine.generate(GenerateRequest.of("whole", prompt,
                SamplingParams.builder().temperature(0).maxNewTokens(12).ignoreEos(true).build())).get(30, TimeUnit.SECONDS);
        assertThat(result.rid()).isEqualTo("whole");
        assertThat(result.outputIds()).isEqualTo(expected);
        assertThat(result.text()).isEqualTo(new CharTokenizer(VOCAB).decode(expected, true));
        assertThat(result.finishReason()).isEqualTo(new org.sglang4j.engine.req.FinishReason.Length(12));
        assertThat(result.promptTokens()).isEqualTo(prompt.length);
        assertThat(result.completionTokens()).isEqualTo(12);
    }

    @Test
    void stopStringIsTrimmedAndNeverStreamedEvenPartly() {
        start(config());
        int[] prompt = ids("the cat");
        int[] free = model[0].referenceGreedy(prompt, 30, 0, new int[0], true);
        String freeText = new CharTokenizer(VOCAB).decode(free, false);
        String stop = freeText.substring(10, 13);
        SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(30).ignoreEos(true)
                .stop(List.of(stop)).build();
        Collector c = submit(GenerateRequest.of("s", prompt, p));
        GenerateOutput last = c.await();
        assertThat(last.finishReason()).isEqualTo(new FinishReason.MatchedString(stop));
        assertThat(c.text()).isEqualTo(freeText.substring(0, freeText.indexOf(stop)));
        for (GenerateOutput o : c.outputs) assertThat(o.textDelta()).doesNotContain(stop);
    }

    @Test
    void invalidRequestsAreRejectedAtSubmitWithTheField() {
        start(config().withContextLength(64));
        SamplingParams p = SamplingParams.builder().maxNewTokens(10).build();
        assertThatThrownBy(() -> engine.submit(GenerateRequest.of("x", new int[70], p), o -> {}))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("context length");
                });
        assertThatThrownBy(() -> engine.submit(GenerateRequest.of("x", new int[60], p), o -> {}))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("max_new_tokens"));
        assertThatThrownBy(() -> engine.submit(GenerateRequest.of("x", new int[] {1, 999}, p), o -> {}))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getMessage()).contains("999"));
        GenerateRequest badSession = new GenerateRequest("x", new int[] {1, 5}, p, false, -1, 0,
                new SessionParams("nope", null, null, false, false), true);
        assertThatThrownBy(() -> engine.submit(badSession, o -> {})).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("nope");
        // the engine still serves
        assertThat(submit(GenerateRequest.of("ok", new int[] {1, 5, 6}, p)).await().finishReason())
                .isNotInstanceOf(FinishReason.Abort.class);
    }

    @Test
    void parallelSamplesShareThePromptAndReportTheirIndex() {
        start(config());
        int[] prompt = ids("shared prompt for all samples");
        Map<Integer, List<GenerateOutput>> byIndex = new ConcurrentHashMap<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        int[] finished = new int[1];
        SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(8).n(3).build();
        engine.submit(GenerateRequest.of("par", prompt, p), o -> {
            byIndex.computeIfAbsent(o.index(), k -> new ArrayList<>()).add(o);
            if (o.finished() && ++finished[0] == 3) all.complete(null);
        });
        all.join();
        assertThat(byIndex).containsOnlyKeys(0, 1, 2);
        for (int i = 0; i < 3; i++) {
            GenerateOutput last = byIndex.get(i).getLast();
            assertThat(last.rid()).isEqualTo("par-" + i);
            assertThat(last.cachedTokens()).isEqualTo(prompt.length - 1);
        }
    }

    @Test
    void metricsUseSglangNamesAndCountTraffic() {
        start(config().withWarmups(0)); // a warm-up would put the BOS in the cache
        int[] prompt = ids("metrics are fun to test");
        SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(5).ignoreEos(true).build();
        submit(GenerateRequest.of("m1", prompt, p)).await();
        submit(GenerateRequest.of("m2", prompt, p)).await();
        String text = engine.prometheusText();
        assertThat(text).contains("sglang:num_running_reqs{model_name=\"sglang4j-demo\"}")
                .contains("sglang:num_queue_reqs").contains("sglang:token_usage").contains("sglang:cache_hit_rate")
                .contains("sglang:gen_throughput").contains("sglang:num_grammar_queue_reqs")
                .contains("sglang:time_to_first_token_seconds_bucket")
                .contains("sglang:inter_token_latency_seconds_bucket")
                .contains("sglang:e2e_request_latency_seconds_count{model_name=\"sglang4j-demo\"} 2")
                .contains("sglang:generation_tokens_total{model_name=\"sglang4j-demo\"} 10.0")
                .contains("sglang:prompt_tokens_total{model_name=\"sglang4j-demo\"} " + (2 * prompt.length) + ".0")
                .contains("sglang:cached_tokens_total{model_name=\"sglang4j-demo\"} " + (prompt.length - 1) + ".0")
                .contains("sglang:num_requests_total{model_name=\"sglang4j-demo\"} 2.0");
        assertThat(engine.stats().cacheHitRate()).isGreaterThan(0);
    }

    @Test
    void abortFlushAndCloseLifecycle() {
        start(config());
        SamplingParams endless = SamplingParams.builder().temperature(0).maxNewTokens(2000).ignoreEos(true).build();
        Collector running = submit(GenerateRequest.of("run", ids("a long one"), endless));
        assertThat(engine.flushCache()).isFalse();
        engine.abort("run");
        assertThat(running.await().finishReason()).isInstanceOf(FinishReason.Abort.class);
        assertThat(engine.flushCache()).isTrue();
        engine.onSchedulerThread(() -> {});
        assertThat(engine.stats().usedTokens()).isZero();
        Collector cut = submit(GenerateRequest.of("cut", ids("another"), endless));
        engine.close();
        assertThat(cut.await().finishReason()).isInstanceOfSatisfying(FinishReason.Abort.class,
                a -> assertThat(a.statusCode()).isEqualTo(503));
        assertThatThrownBy(() -> engine.submit(GenerateRequest.of("late", ids("x"), endless), o -> {}))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void randomSeedMakesUnseededSamplingReproducible() {
        EngineConfig seeded = new EngineConfig(null, null, null, 4096, 0.5, 2048, 16384, null, "fcfs", false, 1,
                "auto", null, null, 0, 7L);
        SamplingParams p = SamplingParams.builder().temperature(1.0f).maxNewTokens(24).ignoreEos(true).build();
        int[][] runs = new int[2][];
        for (int k = 0; k < 2; k++) {
            start(seeded);
            Collector c = submit(GenerateRequest.of("rs", ids("roll the dice"), p));
            c.await();
            runs[k] = c.tokens();
            engine.close();
        }
        assertThat(runs[0]).hasSize(24).isEqualTo(runs[1]);
        assertThat(runs[0]).isNotEqualTo(model[0].referenceGreedy(ids("roll the dice"), 24, 0, new int[0], true));
    }

    @Test
    void sessionsThroughTheEngine() {
        start(config());
        String sid = engine.openSession(null, 0, null);
        assertThatThrownBy(() -> engine.openSession(sid, 0, null)).isInstanceOf(InvalidRequestException.class);
        SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(6).build();
        SessionParams sp = new SessionParams(sid, null, null, false, false);
        int[] turn1 = ids("hello there");
        Collector c1 = submit(new GenerateRequest("t1", turn1, p, false, -1, 0, sp, true));
        c1.await();
        Collector c2 = submit(new GenerateRequest("t2", new int[] {5, 6, 7}, p, false, -1, 0, sp, true));
        GenerateOutput last = c2.await();
        assertThat(last.promptTokens()).isEqualTo(turn1.length + c1.tokens().length + 3);
        assertThat(last.cachedTokens()).isEqualTo(turn1.length + c1.tokens().length - 1);
        assertThat(engine.closeSession(sid)).isTrue();
    }
}
