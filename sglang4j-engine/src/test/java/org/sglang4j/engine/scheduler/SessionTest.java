package org.sglang4j.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sglang4j.engine.scheduler.SchedulerHarness.EOS;
import static org.sglang4j.engine.scheduler.SchedulerHarness.config;
import static org.sglang4j.engine.scheduler.SchedulerHarness.greedy;
import static org.sglang4j.engine.scheduler.SchedulerHarness.req;
import static org.sglang4j.engine.scheduler.SchedulerHarness.sessionReq;
import static org.sglang4j.engine.scheduler.SchedulerTest.concat;
import static org.sglang4j.engine.scheduler.SchedulerTest.prompt;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.SessionParams;

/** Sessions: SGLang continuation semantics, and the conversation's KV pinned between turns. */
class SessionTest {
    static final int[] STOPS = {EOS};

    static SessionParams continueLatest(String id) {
        return new SessionParams(id, null, null, false, false);
    }

    @Test
    void secondTurnContinuesFromPromptPlusAnswerAndPrefillsOnlyTheNewMessage() {
        Random rnd = new Random(20);
        int[] turn1 = prompt(rnd, 30);
        int[] msg2 = new int[] {1, 7, 8, 9, 10}; // leading BOS is dropped on continuation
        try (var h = new SchedulerHarness(config(4096, 8))) {
            String sid = h.openSession("conv", null);
            assertThat(sid).isEqualTo("conv");
            h.submit(sessionReq("t1", turn1, greedy(8), continueLatest(sid)));
            int[] out1 = h.await("t1").tokenArray();
            assertThat(out1).isEqualTo(h.model.referenceGreedy(turn1, 8, 0, STOPS, false));
            h.submit(sessionReq("t2", msg2, greedy(8), continueLatest(sid)));
            var r2 = h.await("t2");
            int[] full = concat(concat(turn1, out1), Arrays.copyOfRange(msg2, 1, msg2.length));
            assertThat(r2.tokenArray()).isEqualTo(h.model.referenceGreedy(full, 8, 0, STOPS, false));
            assertThat(r2.last().promptTokens()).isEqualTo(full.length);
            assertThat(r2.last().cachedTokens()).isEqualTo(turn1.length + out1.length - 1);
            // turn 2's whole conversation is pinned now
            h.awaitIdleAndCheck(full.length + r2.tokens.size() - 1);
            assertThat(h.closeSession(sid)).isTrue();
            assertThat(h.closeSession(sid)).isFalse();
            h.awaitIdleAndCheck(0);
        }
    }

    @Test
    void pinnedConversationSurvivesTrafficThatEvictsEverythingElse() {
        Random rnd = new Random(21);
        int[] turn1 = prompt(rnd, 40);
        try (var h = new SchedulerHarness(config(200, 8).withSessionPins(150, 300))) {
            String sid = h.openSession(null, null);
            h.submit(sessionReq("s1", turn1, greedy(5), continueLatest(sid)));
            int[] out1 = h.await("s1").tokenArray();
            h.submit(req("plain", turn1, greedy(5))); // same prompt, no session: shares the pinned prefix
            h.await("plain");
            for (int i = 0; i < 10; i++) {
                h.submit(req("noise" + i, prompt(rnd, 60), greedy(20)));
                h.await("noise" + i);
            }
            h.submit(sessionReq("s2", new int[] {11, 12}, greedy(5), continueLatest(sid)));
            assertThat(h.await("s2").last().cachedTokens()).isEqualTo(turn1.length + out1.length - 1);
        }
    }

    @Test
    void pinsAreReleasedUnderMemoryPressureInsteadOfFailingRequests() {
        Random rnd = new Random(22);
        try (var h = new SchedulerHarness(config(160, 8).withSessionPins(160, 300))) {
            for (int i = 0; i < 3; i++) {
                String sid = h.openSession("p" + i, null);
                h.submit(sessionReq("p" + i + "-1", prompt(rnd, 40), greedy(5), continueLatest(sid)));
                h.await("p" + i + "-1");
            }
            assertThat(h.protectedTokens()).isPositive();
            // Needs almost the whole pool: only possible once the pins are released.
            h.submit(req("big", prompt(rnd, 140), greedy(10)));
            assertThat(h.await("big").last().finishReason()).isNotInstanceOf(FinishReason.Abort.class);
        }
    }

    @Test
    void pinCapKeepsOnlyTheMostRecentSessions() {
        Random rnd = new Random(23);
        try (var h = new SchedulerHarness(config(4096, 8).withSessionPins(100, 300))) {
            for (int i = 0; i < 4; i++) {
                String sid = h.openSession("c" + i, null);
                h.submit(sessionReq("c" + i + "-1", prompt(rnd, 40), greedy(1), continueLatest(sid)));
                h.await("c" + i + "-1");
            }
            // each pin is 40 tokens; a cap of 100 keeps two (they share the leading BOS, stored once)
            assertThat(h.protectedTokens()).isEqualTo(79);
        }
    }

    @Test
    void pinExpiresAfterTheSessionTimeout() throws InterruptedException {
        Random rnd = new Random(24);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            String sid = h.openSession("ttl", 0.05);
            h.submit(sessionReq("ttl-1", prompt(rnd, 20), greedy(3), continueLatest(sid)));
            h.await("ttl-1");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (h.protectedTokens() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(h.protectedTokens()).isZero();
            h.awaitIdleAndCheck();
        }
    }

    @Test
    void badSessionRequestsFailAloneWithAClearMessage() {
        Random rnd = new Random(25);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            h.submit(sessionReq("nosuch", prompt(rnd, 5), greedy(3), continueLatest("missing")));
            var r = h.await("nosuch");
            assertThat(r.last().finishReason()).isInstanceOfSatisfying(FinishReason.Abort.class, a -> {
                assertThat(a.statusCode()).isEqualTo(400);
                assertThat(a.message()).contains("missing");
            });
            String sid = h.openSession("busy", null);
            assertThatThrownBy(() -> h.openSession("busy", null)).isInstanceOf(CompletionException.class)
                    .hasMessageContaining("already open");
            var endless = org.sglang4j.core.sampling.SamplingParams.builder().temperature(0).maxNewTokens(3000)
                    .ignoreEos(true).build();
            h.submit(sessionReq("b1", prompt(rnd, 5), endless, continueLatest(sid)));
            h.submit(sessionReq("b2", prompt(rnd, 5), greedy(3), continueLatest(sid)));
            assertThat(h.await("b2").last().finishReason()).isInstanceOfSatisfying(FinishReason.Abort.class,
                    a -> assertThat(a.message()).contains("has not finished"));
            h.inbox.add(new SchedulerInput.AbortReq("b1"));
            h.await("b1");
        }
    }

    @Test
    void offsetAndDropPreviousOutputBranchTheConversation() {
        Random rnd = new Random(26);
        int[] turn1 = prompt(rnd, 12);
        try (var h = new SchedulerHarness(config(4096, 8))) {
            String sid = h.openSession("br", null);
            h.submit(sessionReq("a", turn1, greedy(6), continueLatest(sid)));
            h.await("a");
            h.submit(sessionReq("b", new int[] {20, 21}, greedy(4), new SessionParams(sid, "a", null, false, true)));
            int[] dropped = concat(turn1, new int[] {20, 21});
            assertThat(h.await("b").tokenArray()).isEqualTo(h.model.referenceGreedy(dropped, 4, 0, STOPS, false));
            h.submit(sessionReq("c", new int[] {30}, greedy(4), new SessionParams(sid, "a", 5, false, false)));
            int[] spliced = concat(Arrays.copyOf(turn1, 5), new int[] {30});
            assertThat(h.await("c").tokenArray()).isEqualTo(h.model.referenceGreedy(spliced, 4, 0, STOPS, false));
        }
    }
}
