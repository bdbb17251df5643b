package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact behaviour: greedy, penalties, bias, grammar mask, min_new_tokens, bad input. */
class SamplerTest {
    private static final int[] NO_EOS = new int[0];

    private static SampledToken sampleOnce(float[] logits, SamplingParams p, long[] mask) {
        return new Sampler(logits.length).sample(logits, 0, new SamplerState(p, logits.length, NO_EOS), mask,
                Sampler.NO_LOGPROBS);
    }

    private static SamplingParams.Builder greedy() {
        return SamplingParams.builder().temperature(0f);
    }

    @Test
    void greedyIsArgmaxOfTheRealLogits() {
        float[] logits = StoriesLogits.lastPromptPos();
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        assertThat(sampleOnce(logits, greedy().build(), null).token()).isEqualTo(best);
        // llama2.c's greedy continuation of "Once upon a time" starts with token 432 (reference.jsonl line 1).
        assertThat(best).isEqualTo(432);
    }

    @Test
    void greedyTiesGoToTheLowestIdAndTopK1IsGreedy() {
        float[] logits = new float[100];
        logits[37] = 5f;
        logits[64] = 5f;
        logits[99] = 5f;
        assertThat(sampleOnce(logits, greedy().build(), null).token()).isEqualTo(37);
        assertThat(sampleOnce(logits, SamplingParams.builder().temperature(1f).topK(1).build(), null).token())
                .isEqualTo(37);
        assertThat(sampleOnce(logits, SamplingParams.builder().temperature(5e-7f).build(), null).token())
                .isEqualTo(37);
    }

    @Test
    void rowIsReadAtItsOffsetAndNeverModified() {
        float[] batch = new float[3 * 20];
        batch[20 + 3] = 1f;           // row 1's argmax
        batch[40] = 9f;               // row 2 must be ignored
        float[] before = batch.clone();
        SamplingParams p = greedy().frequencyPenalty(2f).logitBias(Map.of(5, 0.5f)).build();
        SamplerState state = new SamplerState(p, 20, NO_EOS);
        Sampler sampler = new Sampler(20);
        assertThat(sampler.sample(batch, 20, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(3);
        long[] mask = {~(1L << 3)};
        assertThat(sampler.sample(batch, 20, state, mask, Sampler.NO_LOGPROBS).token()).isEqualTo(5);
        assertThat(batch).containsExactly(before);
    }

    @Test
    void frequencyAndPresencePenaltiesAreAdditiveOverOutputTokens() {
        float[] logits = {1f, 2f, 3f, -1f, 0.5f};
        SamplingParams p = SamplingParams.builder().frequencyPenalty(0.5f).presencePenalty(0.25f).build();
        SamplerState state = new SamplerState(p, 5, NO_EOS, new int[] {1, 1});
        state.accept(2);
        state.accept(2);
        state.accept(3);
        float[] work = logits.clone();
        LogitAdjustments.apply(work, state, null);
        // Prompt tokens (1) are not penalized by frequency/presence; token 2 twice, token 3 once.
        assertThat(work).containsExactly(1f, 2f, 3f - 0.5f * 2 - 0.25f, -1f - 0.5f - 0.25f, 0.5f);
        assertThat(state.outputCount(2)).isEqualTo(2);
        assertThat(state.outputCount(1)).isZero();
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfPromptAndOutputTokens() {
        float[] logits = {4f, -2f, 3f, 0f, 1f};
        SamplingParams p = SamplingParams.builder().repetitionPenalty(2f).build();
        SamplerState state = new SamplerState(p, 5, NO_EOS, new int[] {1});
        state.accept(0);
        state.accept(3);
        float[] work = logits.clone();
        LogitAdjustments.apply(work, state, null);
        assertThat(work).containsExactly(2f, -4f, 3f, 0f, 1f);
    }

    @Test
    void additivePenaltiesComeBeforeTheRepetitionPenalty() {
        SamplingParams p = SamplingParams.builder().frequencyPenalty(1f).repetitionPenalty(2f).build();
        SamplerState state = new SamplerState(p, 2, NO_EOS);
        state.accept(0);
        float[] work = {3f, 0f};
        LogitAdjustments.apply(work, state, null);
        assertThat(work[0]).isEqualTo((3f - 1f) / 2f);
        float[] negative = {0.5f, 0f};
        LogitAdjustments.apply(negative, state, null);
        assertThat(negative[0]).isEqualTo((0.5f - 1f) * 2f); // crossed zero, so multiplied
    }

    @Test
    void penaltiesSteerGreedyDecodingAwayFromRepeats() {
        float[] logits = {0f, 2f, 1.5f};
        SamplingParams p = greedy().presencePenalty(1f).build();
        SamplerState state = new SamplerState(p, 3, NO_EOS);
        Sampler sampler = new Sampler(3);
        assertThat(sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(1);
        assertThat(sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(2);
        assertThat(sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(1); // 2-1 > 1.5-1
    }

    @Test
    void logitBiasIsAddedAfterTheMask() {
        float[] logits = {0f, 1f, 0.5f, 0f};
        assertThat(sampleOnce(logits, greedy().logitBias(Map.of(2, 0.6f)).build(), null).token()).isEqualTo(2);
        // A bias cannot resurrect a masked token: -inf + 100 is still -inf.
        long[] mask = {0b1011L};
        assertThat(sampleOnce(logits, greedy().logitBias(Map.of(2, 100f)).build(), mask).token()).isEqualTo(1);
        assertThat(sampleOnce(logits, greedy().logitBias(Map.of(0, -5f, 1, -5f)).build(), null).token()).isEqualTo(2);
    }

    @Test
    void maskedTokensAreNeverChosenAcrossWordBoundaries() {
        int vocab = 200;
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) logits[i] = i;   // the highest id is the greedy choice
        long[] mask = new long[4];
        mask[1] = 1L << 63;                              // only token 127 ...
        mask[2] = 1L << 5;                               // ... and token 133 allowed
        assertThat(sampleOnce(logits, greedy().build(), mask).token()).isEqualTo(133);
        SamplerState state = new SamplerState(SamplingParams.builder().temperature(100f).seed(3L).build(), vocab, NO_EOS);
        Sampler sampler = new Sampler(vocab);
        boolean saw127 = false, saw133 = false;
        for (int i = 0; i < 200; i++) {
            int t = sampler.sample(logits, 0, state, mask, Sampler.NO_LOGPROBS).token();
            assertThat(t).isIn(127, 133);
            saw127 |= t == 127;
            saw133 |= t == 133;
        }
        assertThat(saw127 && saw133).isTrue();
    }

    @Test
    void maskThatAllowsNothingIsAnError() {
        assertThatThrownBy(() -> sampleOnce(new float[10], greedy().build(), new long[1]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no token is allowed");
        assertThatThrownBy(() -> sampleOnce(new float[100], greedy().build(), new long[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 2");
    }

    @Test
    void minNewTokensSuppressesEosAndStopIdsUntilReached() {
        float[] logits = {0f, 1f, 5f, 4f}; // 2 = EOS (best), 3 = stop token id (second)
        int[] eos = {2};
        SamplingParams p = greedy().minNewTokens(2).maxNewTokens(10).stopTokenIds(3).build();
        SamplerState state = new SamplerState(p, 4, eos);
        Sampler sampler = new Sampler(4);
        assertThat(sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(1);
        assertThat(sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(1);
        assertThat(state.generated()).isEqualTo(2);
        assertThat(sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(2);
    }

    @Test
    void withIgnoreEosMinNewTokensLeavesEosAloneButStillSuppressesStopIds() {
        float[] logits = {0f, 1f, 5f, 6f};
        SamplingParams p = greedy().minNewTokens(1).stopTokenIds(3).ignoreEos(true).build();
        SamplerState state = new SamplerState(p, 4, new int[] {2});
        assertThat(new Sampler(4).sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()).isEqualTo(2);
    }

    @Test
    void tokensForcedIntoTheOutputCountForPenaltiesAndMinNewTokens() {
        SamplingParams p = greedy().presencePenalty(2f).minNewTokens(1).build();
        SamplerState state = new SamplerState(p, 3, new int[] {0});
        state.accept(1);
        assertThat(state.generated()).isEqualTo(1);
        // EOS no longer suppressed, token 1 penalized: 0 vs 1.5-2 vs 1
        assertThat(new Sampler(3).sample(new float[] {1.2f, 1.5f, 1f}, 0, state, null, -1).token()).isEqualTo(0);
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        assertThatThrownBy(() -> new SamplerState(greedy().logitBias(Map.of(10, 1f)).build(), 10, NO_EOS))
                .hasMessageContaining("logit_bias token id 10");
        assertThatThrownBy(() -> new SamplerState(greedy().stopTokenIds(-1).build(), 10, NO_EOS))
                .hasMessageContaining("stop_token_ids entry -1");
        assertThatThrownBy(() -> new SamplerState(greedy().build(), 10, new int[] {12}))
                .hasMessageContaining("EOS token id 12");
        assertThatThrownBy(() -> new SamplerState(greedy().repetitionPenalty(1.1f).build(), 10, NO_EOS, new int[] {10}))
                .hasMessageContaining("prompt token id 10");
        float[] nan = new float[4];
        nan[2] = Float.NaN;
        assertThatThrownBy(() -> sampleOnce(nan, greedy().build(), null)).hasMessageContaining("NaN");
        SamplerState state = new SamplerState(greedy().build(), 8, NO_EOS);
        assertThatThrownBy(() -> new Sampler(4).sample(new float[4], 0, state, null, -1))
                .hasMessageContaining("vocabulary of 8");
        assertThatThrownBy(() -> new Sampler(4).sample(new float[6], 3, new SamplerState(greedy().build(), 4, NO_EOS),
                null, -1)).hasMessageContaining("does not fit");
    }

    @Test
    void penaltyCountsSurviveGrowthOfTheOccurrenceTable() {
        // Regression: the occurrence table grew while an increment was targeting the old array.
        int vocab = 1000;
        SamplerState state = new SamplerState(SamplingParams.builder().frequencyPenalty(0.01f).build(), vocab, NO_EOS);
        for (int round = 0; round < 3; round++) for (int t = 0; t < 500; t++) state.accept(t * 2);
        for (int t = 0; t < vocab; t++) assertThat(state.outputCount(t)).isEqualTo(t % 2 == 0 ? 3 : 0);
        float[] work = new float[vocab];
        LogitAdjustments.apply(work, state, null);
        for (int t = 0; t < vocab; t++) assertThat(work[t]).isEqualTo(t % 2 == 0 ? -0.03f : 0f);
    }
}
