package org.sglang4j.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sglang4j.engine.scheduler.SchedulerHarness.EOS;
import static org.sglang4j.engine.scheduler.SchedulerHarness.config;
import static org.sglang4j.engine.scheduler.SchedulerHarness.greedy;
import static org.sglang4j.engine.scheduler.SchedulerHarness.req;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.testing.TokenHashModel;

/**
 * Greedy outputs must equal {@link TokenHashModel#referenceGreedy} (plain sequences, no cache) however the
 * scheduler batches, caches, chunks or retracts; the KV invariant is checked after every step.
 */
class SchedulerTest {
    static final int[] STOPS = {EOS};

    static int[] prompt(Random rnd, int len) {
        int[] p = new int[len];
        p[0] = 1;
        for (int i = 1; i < len; i++) p[i] = 3 + rnd.nextInt(SchedulerHarness.VOCAB - 3);
        return p;
    }

    static int[] expected(TokenHashModel m, int[] prompt, int maxNew) {
        return m.referenceGreedy(prompt, maxNew, 0, STOPS, false);
    }

    @Test
    void greedyOutputIsTheSameAloneAndBatchedWithSevenOthers() {
        Random rnd = new Random(1);
        int[][] prompts = new int[8][];
        for (int i = 0; i < 8; i++) prompts[i] = prompt(rnd, 3 + 9 * i);
        int[][] alone = new int[8][];
        for (int i = 0; i < 8; i++) {
            try (var h = new SchedulerHarness(config(1024, 16))) {
                h.submit(req("r" + i, prompts[i], greedy(24)));
                alone[i] = h.await("r" + i).tokenArray();
                assertThat(alone[i]).isEqualTo(expected(h.model, prompts[i], 24));
            }
        }
        try (var h = new SchedulerHarness(config(1024, 16))) {
            for (int i = 0; i < 8; i++) h.submit(req("r" + i, prompts[i], greedy(24)));
            for (int i = 0; i < 8; i++) assertThat(h.await("r" + i).tokenArray()).as("request %d", i).isEqualTo(alone[i]);
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void cacheHitReusesThePrefixAndGivesTheSameOutput() {
        Random rnd = new Random(2);
        int[] system = prompt(rnd, 40);
        int[] a = concat(system, new int[] {10, 11, 12});
        int[] b = concat(system, new int[] {20, 21});
        try (var h = new SchedulerHarness(config(1024, 16))) {
            h.submit(req("a", a, greedy(10)));
            assertThat(h.await("a").last().cachedTokens()).isZero();
            h.submit(req("b", b, greedy(10)));
            var rb = h.await("b");
            assertThat(rb.last().cachedTokens()).isEqualTo(40);
            assertThat(rb.tokenArray()).isEqualTo(expected(h.model, b, 10));
            // The same prompt again: everything but the last token is cached (one token must be computed).
            h.submit(req("b2", b, greedy(10)));
            assertThat(h.await("b2").last().cachedTokens()).isEqualTo(b.length - 1);
            assertThat(h.await("b2").tokenArray()).isEqualTo(rb.tokenArray());
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void finishedOutputIsCachedSoTheNextTurnHitsPromptPlusAnswer() {
        Random rnd = new Random(3);
        int[] turn1 = prompt(rnd, 30);
        try (var h = new SchedulerHarness(config(1024, 16))) {
            h.submit(req("t1", turn1, greedy(12)));
            int[] answer = h.await("t1").tokenArray();
            int[] turn2 = concat(concat(turn1, answer), new int[] {7, 8, 9});
            h.submit(req("t2", turn2, greedy(5)));
            var r = h.await("t2");
            // prompt + answer minus the last answer token (which never had KV)
            int expectedHit = turn1.length + answer.length - 1;
            assertThat(r.last().cachedTokens()).isEqualTo(expectedHit);
            assertThat(r.tokenArray()).isEqualTo(expected(h.model, turn2, 5));
        }
    }

    @Test
    void chunkedPrefillGivesTheSameOutput() {
        Random rnd = new Random(4);
        int[][] prompts = {prompt(rnd, 50), prompt(rnd, 17), prompt(rnd, 33)};
        try (var h = new SchedulerHarness(config(1024, 16).withChunkedPrefillSize(7))) {
            for (int i = 0; i < prompts.length; i++) h.submit(req("c" + i, prompts[i], greedy(15)));
            for (int i = 0; i < prompts.length; i++) {
                assertThat(h.await("c" + i).tokenArray()).isEqualTo(expected(h.model, prompts[i], 15));
            }
            // 100 prompt tokens in chunks of at most 7 tokens per forward pass: at least 15 passes.
            assertThat(h.model.maxTokensPerForward).isLessThanOrEqualTo(7);
            assertThat(h.model.forwardCalls).isGreaterThanOrEqualTo(15);
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void mixedChunkGivesTheSameOutput() {
        Random rnd = new Random(5);
        try (var h = new SchedulerHarness(config(1024, 16).withChunkedPrefillSize(8).withEnableMixedChunk(true))) {
            int[][] prompts = new int[6][];
            for (int i = 0; i < prompts.length; i++) {
                prompts[i] = prompt(rnd, 5 + 7 * i);
                h.submit(req("m" + i, prompts[i], greedy(20)));
            }
            for (int i = 0; i < prompts.length; i++) {
                assertThat(h.await("m" + i).tokenArray()).isEqualTo(expected(h.model, prompts[i], 20));
            }
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void retractedRequestResumesAndFinishesWithTheSameOutput() {
        Random rnd = new Random(6);
        // 8 requests × (10 prompt + up to 40 output) = up to 400 tokens into a pool of 120. With a low
        // conservativeness, admission counts on requests stopping early; most do not, so decoding runs dry.
        int n = 8;
        int[][] prompts = new int[n][];
        var reqs = new org.sglang4j.engine.req.Req[n];
        for (int i = 0; i < n; i++) {
            prompts[i] = prompt(rnd, 10);
            reqs[i] = req("x" + i, prompts[i], greedy(40));
        }
        try (var h = new SchedulerHarness(config(120, 16).withScheduleConservativeness(0.1))) {
            h.submit(reqs); // one message: the same batches every run
            int retractions = 0;
            for (int i = 0; i < n; i++) {
                var r = h.await("x" + i);
                assertThat(r.tokenArray()).as("request %d", i).isEqualTo(expected(h.model, prompts[i], 40));
                retractions += r.last().retractions();
            }
            assertThat(retractions).as("the pool was too small: something must have been retracted").isPositive();
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void stressTwoHundredRandomRequestsIntoASmallPool() {
        Random rnd = new Random(7);
        int n = 200;
        int[][] prompts = new int[n][];
        int[] maxNew = new int[n];
        boolean[] ignoreEos = new boolean[n];
        var reqs = new org.sglang4j.engine.req.Req[n];
        try (var h = new SchedulerHarness(config(256, 32).withChunkedPrefillSize(32))) {
            for (int i = 0; i < n; i++) {
                prompts[i] = prompt(rnd, 1 + rnd.nextInt(60));
                maxNew[i] = 1 + rnd.nextInt(40);
                ignoreEos[i] = rnd.nextBoolean();
                SamplingParams p = SamplingParams.builder().temperature(0).maxNewTokens(maxNew[i])
                        .ignoreEos(ignoreEos[i]).build();
                reqs[i] = req("s" + i, prompts[i], p);
            }
            h.submit(reqs);
            int retractions = 0;
            for (int i = 0; i < n; i++) {
                var r = h.await("s" + i);
                assertThat(r.last().finishReason()).isNotInstanceOf(FinishReason.Abort.class);
                assertThat(r.tokenArray()).as("request %d", i)
                        .isEqualTo(h.model.referenceGreedy(prompts[i], maxNew[i], 0, STOPS, ignoreEos[i]));
                retractions += r.last().retractions();
            }
            assertThat(retractions).as("a pool this small forces retractions").isPositive();
            h.awaitIdleAndCheck();
            assertThat(h.flush()).isTrue();
            h.inspect(s -> {
                assertThat(s.cache.allocator.availableSize()).isEqualTo(256);
                assertThat(s.cache.tree.totalSize()).isZero();
            });
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
