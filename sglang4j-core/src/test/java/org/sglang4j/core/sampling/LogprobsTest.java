package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Logprobs against a double-precision log-softmax of the raw logits computed here. */
class LogprobsTest {
    private static double[] referenceLogSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double z = 0;
        for (float l : logits) z += Math.exp(l - max);
        double lse = max + Math.log(z);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - lse;
        return out;
    }

    private static int[] referenceTop(float[] logits, int n) {
        return IntStream.range(0, logits.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparing(i -> i))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void chosenAndTopLogprobsAreTheRawLogSoftmax() {
        float[] logits = StoriesLogits.lastPromptPos();
        double[] ref = referenceLogSoftmax(logits);
        // Heavy processing must not change the reported numbers: they describe the model, not the filters.
        SamplingParams p = SamplingParams.builder().temperature(3f).topK(50).presencePenalty(1f).seed(9L).build();
        SamplerState state = new SamplerState(p, logits.length, new int[0]);
        Sampler sampler = new Sampler(logits.length);
        for (int step = 0; step < 20; step++) {
            SampledToken t = sampler.sample(logits, 0, state, null, 5);
            assertThat((double) t.logprob()).isCloseTo(ref[t.token()], within(1e-5));
            assertThat(t.top().tokens()).containsExactly(referenceTop(logits, 5));
            for (int i = 0; i < 5; i++) {
                assertThat((double) t.top().logprob(i)).isCloseTo(ref[t.top().token(i)], within(1e-5));
            }
        }
    }

    @Test
    void logprobRequestLevels() {
        float[] logits = StoriesLogits.pos0();
        SamplerState state = new SamplerState(SamplingParams.builder().temperature(0f).build(), 512, new int[0]);
        Sampler sampler = new Sampler(512);
        SampledToken none = sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS);
        assertThat(none.logprob()).isNaN();
        assertThat(none.top().size()).isZero();
        SampledToken only = sampler.sample(logits, 0, state, null, 0);
        assertThat((double) only.logprob()).isCloseTo(referenceLogSoftmax(logits)[only.token()], within(1e-5));
        assertThat(only.top().size()).isZero();
        assertThat(sampler.sample(logits, 0, state, null, 1000).top().size()).isEqualTo(512);
    }

    @Test
    void promptLogprobsOfGivenTokens() {
        float[] logits = StoriesLogits.pos0();
        double[] ref = referenceLogSoftmax(logits);
        float[] batch = new float[1024];
        System.arraycopy(logits, 0, batch, 512, 512);
        for (int token : new int[] {0, 1, 403, 511}) {
            assertThat((double) Logprobs.of(batch, 512, 512, token)).isCloseTo(ref[token], within(1e-5));
        }
    }

    @Test
    void topLogprobsBreakTiesByLowerIdAndSurviveLargeVocabularies() {
        float[] logits = new float[151_936];
        Arrays.fill(logits, -3f);
        logits[150_000] = 2f;
        logits[7] = 1f;
        logits[90_000] = 1f;
        logits[3] = 1f;
        logits[100] = 0.5f;
        TopLogprobs top = Logprobs.top(logits, 0, logits.length, 4);
        assertThat(top.tokens()).containsExactly(150_000, 3, 7, 90_000);
        double[] ref = referenceLogSoftmax(logits);
        for (int i = 0; i < 4; i++) assertThat((double) top.logprob(i)).isCloseTo(ref[top.token(i)], within(1e-5));
        // With everything tied, the n lowest ids win.
        Arrays.fill(logits, 0f);
        assertThat(Logprobs.top(logits, 0, logits.length, 3).tokens()).containsExactly(0, 1, 2);
        float[] random = SamplerDistributionTest.gaussianLogits(151_936, 2.0, 4);
        assertThat(Logprobs.top(random, 0, random.length, 20).tokens()).containsExactly(referenceTop(random, 20));
    }
}
