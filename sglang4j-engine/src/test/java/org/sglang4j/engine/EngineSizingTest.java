package org.sglang4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.runner.LoadedModel;

/**
 * The KV pool size from given machine figures (SGLang's {@code available − total × (1 − fraction)} rule, the
 * caps, the errors), and a real engine's pool becoming resident only as it is used.
 */
class EngineSizingTest {
    private static final long MIB = 1 << 20;
    private static final long GIB = 1L << 30;

    private static LoadedModel model(long weightBytes, long kvBytesPerToken, int contextLength) {
        return new LoadedModel("llama", "F32", contextLength, 100, weightBytes, kvBytesPerToken, null,
                (slots, maxTokens, threads) -> {
                    throw new AssertionError("sizing must not build the model");
                });
    }

    @Test
    void thePoolGetsWhatIsAvailableBeyondTheReservedShareLessTheWeights() {
        // 12 GiB available − 1 GiB weights − 16 GiB × (1 − 0.5) = 3 GiB = 3072 tokens of 1 MiB.
        SystemMemory m = new SystemMemory(16 * GIB, 12 * GIB, "test");
        assertThat(EngineSizing.fromMemory(0.5, MIB, GIB, m)).isEqualTo(3072);
        // 0.75 keeps only 4 GiB: 12 − 1 − 4 = 7 GiB.
        assertThat(EngineSizing.fromMemory(0.75, MIB, GIB, m)).isEqualTo(7168);
    }

    @Test
    void nothingLeftIsAnErrorThatSaysWhatToChange() {
        SystemMemory m = new SystemMemory(16 * GIB, 6 * GIB, "cgroup /pod");
        assertThatThrownBy(() -> EngineSizing.fromMemory(0.5, MIB, GIB, m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no memory left for the KV cache")
                .hasMessageContaining("5120 MiB available after 1024 MiB of weights (cgroup /pod)")
                .hasMessageContaining("--mem-fraction-static 0.5 keeps 8192 MiB of the 16384 MiB total")
                .hasMessageContaining("--max-total-tokens");
        assertThatThrownBy(() -> EngineSizing.fromMemory(1.0, MIB, GIB, m))
                .hasMessageContaining("--mem-fraction-static must be in (0, 1), got 1.0");
    }

    @Test
    void theSlotIndexRangeCapsAHugeMachine() {
        SystemMemory m = new SystemMemory(1L << 50, 1L << 49, "test");
        assertThat(EngineSizing.fromMemory(0.9, 2, 0, m)).isEqualTo(Integer.MAX_VALUE - 8);
    }

    @Test
    void theDefaultPoolIsCappedAtWhatTheRunningRequestsCanFill() {
        SystemMemory big = new SystemMemory(64 * GIB, 60 * GIB, "test");
        EngineConfig defaults = EngineConfig.defaults("m").withThreads(1);
        // 60 − 32 GiB for 1 KiB tokens would be 28M tokens; 256 default running requests × 1000 context = 256000.
        EngineSizing s = EngineSizing.of(defaults, model(0, 1024, 1000), big);
        assertThat(s.maxTotalTokens()).isEqualTo(256_000);
        assertThat(s.maxRunningRequests()).isEqualTo(256);
        EngineSizing four = EngineSizing.of(defaults.withMaxRunningRequests(4).withContextLength(500),
                model(0, 1024, 1000), big);
        assertThat(four.maxTotalTokens()).isEqualTo(2000);
        // Below the cap the memory rule decides: 60 − 32 − 27 GiB of weights = 1 GiB = 1024 tokens of 1 MiB.
        assertThat(EngineSizing.of(defaults, model(27 * GIB, MIB, 1000), big).maxTotalTokens()).isEqualTo(1024);
    }

    @Test
    void forwardBuffersHoldAPrefillChunkOrADecodeStepAndBothOnlyWhenMixed() {
        EngineConfig c = EngineConfig.defaults("m").withThreads(1).withMaxTotalTokens(100_000); // 2048-token chunks
        LoadedModel m = model(0, MIB, 4096);
        assertThat(EngineSizing.of(c, m, null).maxTokensPerForward()).isEqualTo(2048);
        assertThat(EngineSizing.of(c.withEnableMixedChunk(true), m, null).maxTokensPerForward()).isEqualTo(2048 + 256);
        assertThat(EngineSizing.of(c.withMaxRunningRequests(3000), m, null).maxTokensPerForward()).isEqualTo(3000);
        // Without chunking one request may prefill its whole context.
        assertThat(EngineSizing.of(c.withChunkedPrefillSize(-1).withContextLength(20_000), m, null)
                .maxTokensPerForward()).isEqualTo(20_000);
    }

    @Test
    void maxTotalTokensOverridesTheMachineFigures() {
        SystemMemory none = new SystemMemory(GIB, 0, "test"); // would leave nothing
        EngineSizing s = EngineSizing.of(EngineConfig.defaults("m").withMaxTotalTokens(5000).withThreads(1),
                model(0, MIB, 1000), none);
        assertThat(s.maxTotalTokens()).isEqualTo(5000);
        assertThatThrownBy(() -> EngineSizing.of(EngineConfig.defaults("m").withMaxTotalTokens(1).withThreads(1),
                model(0, MIB, 1000), none)).hasMessageContaining("--max-total-tokens must be >= 2, got 1");
    }

    @Test
    void theDemoEnginesPoolBecomesResidentOnlyAsSlotsAreUsed() throws Exception {
        // 200k tokens of the demo model's 4 KiB = 800 MB of pool; a short request uses a few hundred KB of it.
        try (Engine e = Engine.start(EngineConfig.defaults(null).withMaxTotalTokens(200_000).withThreads(1)
                .withWarmups(0))) {
            long pool = e.modelInfo().kvCacheBytes();
            assertThat(pool).isEqualTo(200_000L * 2 * 4 * 128 * 4);
            long before = e.kvCacheResidentBytes();
            assertThat(before).isBetween(0L, pool / 100);
            int[] prompt = new int[300];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 3 + i % 200;
            e.generate(new GenerateRequest("r", prompt, SamplingParams.builder().temperature(0).maxNewTokens(20)
                    .build(), false, -1, 0, null, false)).get();
            long after = e.kvCacheResidentBytes();
            // 320 slots × 4 KiB written (in 4 layers × K and V regions of the pool).
            assertThat(after).isGreaterThanOrEqualTo(before + 320L * 4096).isLessThan(pool / 100);
        }
    }

    @Test
    void aSizeThatWouldNotFitIsRefusedBeforeAnythingIsBuilt() {
        assertThatThrownBy(() -> EngineSizing.of(EngineConfig.defaults("m").withThreads(0), model(0, MIB, 1000),
                null)).hasMessageContaining("--threads must be >= 1, got 0");
        assertThatThrownBy(() -> EngineSizing.of(EngineConfig.defaults("m").withThreads(1).withMaxRunningRequests(0),
                model(0, MIB, 1000), null)).hasMessageContaining("--max-running-requests must be >= 1, got 0");
    }
}
