package org.sglang4j.bench.multiturn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sglang4j.core.demo.DemoModel;
import org.sglang4j.engine.EngineConfig;

/** The multi-turn workload on the demo model, scaled down: the cache figures it reports follow from its shape. */
class MultiTurnRunnerTest {

    @Test
    void nearestRankPercentile() {
        double[] v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
        assertThat(MultiTurnReport.percentile(v, 0.5)).isEqualTo(5);
        assertThat(MultiTurnReport.percentile(v, 0.9)).isEqualTo(9);
        assertThat(MultiTurnReport.percentile(new double[] {3}, 0.9)).isEqualTo(3);
    }

    @Test
    void radixCacheServesTheSharedSystemPromptAndEarlierTurns() throws Exception {
        EngineConfig base = EngineConfig.defaults(DemoModel.file().toString()).withThreads(1)
                .withMaxTotalTokens(8192).withWarmups(0);
        int system = 60, user = 10, reply = 8, turns = 3, convs = 2;
        MultiTurnReport on;
        MultiTurnReport off;
        Conversations conv;
        try (EngineTarget t = new EngineTarget("on", base)) {
            conv = Conversations.generate(t.engine().tokenizer(), convs, turns, system, user, 7);
            on = MultiTurnReport.of(MultiTurnRunner.run(t, conv, reply));
        }
        try (EngineTarget t = new EngineTarget("off", base.withDisableRadixCache(true))) {
            off = MultiTurnReport.of(MultiTurnRunner.run(t, conv, reply));
        }
        assertThat(on.requests()).isEqualTo(convs * turns);
        assertThat(off.cacheHitRate()).isZero();
        // Lower bound: every turn after the first of its conversation re-sends everything before its new user
        // message, and at most one of the conversations' first turns misses the system prompt.
        long prompt = 0, reusable = 0;
        for (int c = 0; c < convs; c++) {
            int history = system;
            for (int t = 0; t < turns; t++) {
                int len = history + conv.userTurns()[c][t].length;
                prompt += len;
                reusable += t == 0 ? (c == 0 ? 0 : system) : history - 1;
                history = len + reply;
            }
        }
        assertThat(on.cacheHitRate()).isGreaterThanOrEqualTo((double) reusable / prompt - 1e-9);
    }
}
