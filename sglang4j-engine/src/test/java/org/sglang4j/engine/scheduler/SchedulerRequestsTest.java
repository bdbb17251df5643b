package org.sglang4j.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sglang4j.engine.scheduler.SchedulerHarness.EOS;
import static org.sglang4j.engine.scheduler.SchedulerHarness.VOCAB;
import static org.sglang4j.engine.scheduler.SchedulerHarness.config;
import static org.sglang4j.engine.scheduler.SchedulerHarness.greedy;
import static org.sglang4j.engine.scheduler.SchedulerHarness.req;
import static org.sglang4j.engine.scheduler.SchedulerTest.concat;
import static org.sglang4j.engine.scheduler.SchedulerTest.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.engine.testing.CharTokenizer;

/** Request-level behaviour of the scheduler: stops, aborts, prefill-only, logprobs, policies, no-radix mode. */
class SchedulerRequestsTest {
    static final int[] STOPS = {EOS};

    @Test
    void abortOfARunningRequestFreesItsKvAndReportsAbort() {
        Random rnd = new Random(10);
        SamplingParams endless = SamplingParams.builder().temperature(0).maxNewTokens(3000).ignoreEos(true).build();
        try (var h = new SchedulerHarness(config(4096, 8))) {
            h.submit(req("long", prompt(rnd, 20), endless));
            h.submit(req("short", prompt(rnd, 5), greedy(5)));
            h.await("short");
            h.inbox.add(new SchedulerInput.AbortReq("long"));
            var r = h.await("long");
            assertThat(r.last().finishReason()).isInstanceOf(FinishReason.Abort.class);
            assertThat(r.tokens.size()).isLessThan(3000);
            h.awaitIdleAndCheck(); // nothing locked, nothing leaked
            h.inbox.add(new SchedulerInput.AbortReq("no-such-request")); // ignored
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void abortOfAQueuedRequestNeverRunsIt() {
        Random rnd = new Random(11);
        try (var h = new SchedulerHarness(config(4096, 1))) {
            SamplingParams longRun = SamplingParams.builder().temperature(0).maxNewTokens(200).ignoreEos(true).build();
            // Hold the scheduler thread until the abort is in its inbox too, so it takes both in one drain. Without
            // this, the test model's 200 instant steps could finish "first" and run "queued" before the abort was
            // even sent (seen once in CI on a busy machine).
            CountDownLatch hold = new CountDownLatch(1);
            h.inbox.add(new SchedulerInput.Inspect(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, new CompletableFuture<>()));
            h.submit(req("first", prompt(rnd, 5), longRun), req("queued", prompt(rnd, 5), greedy(5)));
            h.inbox.add(new SchedulerInput.AbortReq("queued"));
            hold.countDown();
            var r = h.await("queued");
            assertThat(r.tokens).isEmpty();
            assertThat(r.last().finishReason()).isInstanceOf(FinishReason.Abort.class);
            assertThat(h.await("first").tokens).hasSize(200);
        }
    }

    @Test
    void stopTokenIdsStopStringsAndMinNewTokens() {
        Random rnd = new Random(12);
        int[] p = prompt(rnd, 12);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            int[] free = h.model.referenceGreedy(p, 30, 0, new int[0], true);
            // stop token id: the 5th token of the free run
            int stopId = free[4];
            SamplingParams byId = SamplingParams.builder().temperature(0).maxNewTokens(30).stopTokenIds(stopId).build();
            h.submit(req("id", p, byId));
            int[] expectedId = h.model.referenceGreedy(p, 30, 0, new int[] {EOS, stopId}, false);
            assertThat(h.await("id").tokenArray()).isEqualTo(expectedId);
            assertThat(h.await("id").last().finishReason()).isEqualTo(new FinishReason.MatchedToken(expectedId[expectedId.length - 1]));
            // stop string: the decoded text of tokens 3..4 of the free run
            String stop = CharTokenizer.piece(free[2]) + CharTokenizer.piece(free[3]);
            SamplingParams byStr = SamplingParams.builder().temperature(0).maxNewTokens(30).ignoreEos(true)
                    .stop(List.of(stop)).build();
            h.submit(req("str", p, byStr));
            int[] out = h.await("str").tokenArray();
            String text = new CharTokenizer(VOCAB).decode(out, true);
            assertThat(text).endsWith(stop);
            assertThat(text.indexOf(stop)).isEqualTo(text.length() - stop.length());
            assertThat(h.await("str").last().finishReason()).isEqualTo(new FinishReason.MatchedString(stop));
            // min_new_tokens keeps the stop token masked for the first 10 tokens
            SamplingParams min = SamplingParams.builder().temperature(0).maxNewTokens(30).minNewTokens(10)
                    .stopTokenIds(stopId).build();
            h.submit(req("min", p, min));
            assertThat(h.await("min").tokenArray())
                    .isEqualTo(h.model.referenceGreedy(p, 30, 10, new int[] {EOS, stopId}, false));
            assertThat(h.await("min").tokens.size()).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void maxNewTokensZeroPrefillsTheWholePromptIntoTheCache() {
        Random rnd = new Random(13);
        int[] p = prompt(rnd, 30);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            h.submit(req("warm", p, greedy(0)));
            var r = h.await("warm");
            assertThat(r.tokens).isEmpty();
            assertThat(r.last().finishReason()).isEqualTo(new FinishReason.Length(0));
            h.submit(req("hit", concat(p, new int[] {5}), greedy(4)));
            assertThat(h.await("hit").last().cachedTokens()).isEqualTo(30);
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void parallelSamplingPrefillsThePromptOnceThenFansOut() {
        Random rnd = new Random(14);
        int[] p = prompt(rnd, 25);
        GenerateRequest g = new GenerateRequest("par", p, greedy(6), false, -1, 0, null, true);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            Req parent = new Req("par", 0, g, SamplingParams.builder().temperature(0).maxNewTokens(0).build(), p,
                    null, System.nanoTime());
            List<Req> samples = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Req s = new Req("par-" + i, i, g, g.sampling(), p, null, System.nanoTime());
                samples.add(s);
            }
            h.inbox.add(new SchedulerInput.GenerateReqInput(samples, parent));
            int[] expected = h.model.referenceGreedy(p, 6, 0, STOPS, false);
            for (int i = 0; i < 3; i++) {
                var r = h.await("par-" + i);
                assertThat(r.tokenArray()).isEqualTo(expected);
                assertThat(r.last().cachedTokens()).isEqualTo(p.length - 1);
            }
            assertThat(h.results).doesNotContainKey("par"); // the internal prefill reports nothing
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void logprobsMatchTheReferenceLogSoftmax() {
        Random rnd = new Random(15);
        int[] p = prompt(rnd, 12);
        GenerateRequest g = new GenerateRequest("lp", p, greedy(4), true, 3, 2, null, true);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            h.submit(req("pre", p, greedy(0))); // cache the prompt: logprob_start_len must limit the match
            h.await("pre");
            h.submit(req(g));
            var r = h.await("lp");
            List<TokenLogprob> in = new ArrayList<>();
            List<TokenLogprob> out = new ArrayList<>();
            for (var o : r.outputs) {
                in.addAll(o.inputLogprobs());
                out.addAll(o.outputLogprobs());
            }
            assertThat(in).hasSize(p.length - 3);
            for (int k = 0; k < in.size(); k++) {
                int pos = 3 + k;
                assertLogprob(in.get(k), p[pos], h.model.referenceLogits(p, pos), 2);
            }
            int[] tokens = r.tokenArray();
            assertThat(out).hasSize(tokens.length);
            int[] seq = concat(p, tokens);
            for (int k = 0; k < out.size(); k++) {
                assertLogprob(out.get(k), tokens[k], h.model.referenceLogits(seq, p.length + k), 2);
            }
        }
    }

    static void assertLogprob(TokenLogprob lp, int token, float[] logits, int topK) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        double lse = max + Math.log(sum);
        assertThat(lp.tokenId()).isEqualTo(token);
        assertThat((double) lp.logprob()).isCloseTo(logits[token] - lse, within(1e-5));
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        assertThat(lp.topIds()).hasSize(topK);
        for (int k = 0; k < topK; k++) {
            assertThat(lp.topIds()[k]).isEqualTo(order[k]);
            assertThat((double) lp.topLogprobs()[k]).isCloseTo(logits[order[k]] - lse, within(1e-5));
        }
    }

    @Test
    void lpmRunsTheRequestsSharingTheCachedPrefixFirst() {
        Random rnd = new Random(16);
        int[] shared = prompt(rnd, 40);
        SamplingParams blocker = SamplingParams.builder().temperature(0).maxNewTokens(50).ignoreEos(true).build();
        try (var h = new SchedulerHarness(config(4096, 1).withSchedulePolicy("lpm"))) {
            h.submit(req("warm", shared, greedy(0)));
            h.await("warm");
            // One running slot: while "block" runs, the others queue; lpm must pick the cache hit first.
            h.submit(req("block", prompt(rnd, 3), blocker), req("cold", prompt(rnd, 30), greedy(1)),
                    req("hot", concat(shared, new int[] {9}), greedy(1)));
            h.await("cold");
            h.await("hot");
            assertThat(h.results.get("hot").done.join().cachedTokens()).isEqualTo(40);
            assertThat(finishOrder(h)).containsSubsequence("hot", "cold");
        }
    }

    private static List<String> finishOrder(SchedulerHarness h) {
        List<String> order = new ArrayList<>();
        h.inspect(s -> {});
        h.results.entrySet().stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.getValue().finishSeq))
                .forEach(e -> order.add(e.getKey()));
        return order;
    }

    @Test
    void requestsArrivingTogetherComputeTheirSharedPrefixOnce() {
        Random rnd = new Random(20);
        int[] system = prompt(rnd, 60);
        Req[] reqs = new Req[4];
        for (int i = 0; i < 4; i++) {
            reqs[i] = req("p" + i, concat(system, new int[] {10 + i, 20 + i, 30 + i}), greedy(3));
        }
        try (var h = new SchedulerHarness(config(4096, 8))) {
            h.submit(reqs); // one message: all four are in the queue for the same prefill round
            int hits = 0;
            for (int i = 0; i < 4; i++) {
                var r = h.await("p" + i);
                assertThat(r.tokenArray()).isEqualTo(h.model.referenceGreedy(reqs[i].originInputIds(), 3, 0, STOPS, false));
                if (r.last().cachedTokens() == 60) hits++;
            }
            assertThat(hits).as("only the first computes the shared 60 tokens").isEqualTo(3);
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void disabledRadixCacheNeverHitsAndFreesEverything() {
        Random rnd = new Random(17);
        int[] p = prompt(rnd, 30);
        try (var h = new SchedulerHarness(config(256, 8).withDisableRadixCache(true).withChunkedPrefillSize(8))) {
            h.submit(req("a", p, greedy(10)));
            h.submit(req("b", p, greedy(10)));
            assertThat(h.await("a").tokenArray()).isEqualTo(h.await("b").tokenArray());
            assertThat(h.await("b").last().cachedTokens()).isZero();
            assertThat(h.await("a").tokenArray()).isEqualTo(h.model.referenceGreedy(p, 10, 0, STOPS, false));
            h.awaitIdleAndCheck();
            h.inspect(s -> assertThat(s.cache.allocator.availableSize()).isEqualTo(256));
        }
    }

    @Test
    void flushIsRefusedWhileBusyAndEmptiesTheCacheWhenIdle() {
        Random rnd = new Random(18);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            SamplingParams longRun = SamplingParams.builder().temperature(0).maxNewTokens(400).ignoreEos(true).build();
            h.submit(req("busy", prompt(rnd, 10), longRun));
            assertThat(h.flush()).isFalse();
            h.await("busy");
            h.awaitIdleAndCheck();
            assertThat(h.flush()).isTrue();
            h.inspect(s -> assertThat(s.cache.allocator.availableSize()).isEqualTo(4096));
        }
    }

    @Test
    void requestLongerThanThePoolFailsWithoutStallingOthers() {
        Random rnd = new Random(19);
        try (var h = new SchedulerHarness(config(64, 8))) {
            Req huge = req("huge", prompt(rnd, 60), greedy(10));
            Req ok = req("ok", prompt(rnd, 10), greedy(5));
            h.submit(huge, ok);
            assertThat(h.await("huge").last().finishReason()).isInstanceOf(FinishReason.Abort.class);
            assertThat(h.await("ok").last().finishReason()).isNotInstanceOf(FinishReason.Abort.class);
        }
    }

    static CompletableFuture<Void> noop() {
        return CompletableFuture.completedFuture(null);
    }
}
