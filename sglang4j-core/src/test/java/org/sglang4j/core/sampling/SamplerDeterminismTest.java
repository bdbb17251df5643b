package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A seeded request yields the same tokens alone or interleaved with other requests in any batch order. */
class SamplerDeterminismTest {
    private static final float[] LOGITS = StoriesLogits.pos0();

    private static SamplerState request(long seed) {
        return new SamplerState(SamplingParams.builder().temperature(1.5f).topP(0.95f).frequencyPenalty(0.3f)
                .seed(seed).build(), LOGITS.length, new int[] {2});
    }

    private static int[] alone(long seed, int steps) {
        Sampler sampler = new Sampler(LOGITS.length);
        SamplerState s = request(seed);
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) out[i] = sampler.sample(LOGITS, 0, s, null, Sampler.NO_LOGPROBS).token();
        return out;
    }

    @Test
    void sameSeedSameTokensWhateverTheBatch() {
        int steps = 64;
        int[] expected = alone(42, steps);
        assertThat(alone(42, steps)).containsExactly(expected);

        // Batch: the seed-42 request shares a sampler with three others, in a rotating order, some of them
        // greedy, constrained or asking for logprobs, and it joins at step 0 while others joined earlier.
        Sampler shared = new Sampler(LOGITS.length);
        SamplerState mine = request(42);
        SamplerState[] others = {request(7), request(42), new SamplerState(SamplingParams.builder().temperature(0f)
                .build(), LOGITS.length, new int[0])};
        long[] mask = new long[8];
        Arrays.fill(mask, 0x00FF00FF00FF00FFL);
        for (SamplerState o : others) shared.sample(LOGITS, 0, o, mask, 3);
        int[] got = new int[steps];
        for (int i = 0; i < steps; i++) {
            for (int j = 0; j < others.length; j++) {
                if ((i + j) % 2 == 0) shared.sample(LOGITS, 0, others[j], j == 0 ? mask : null, 2);
            }
            got[i] = shared.sample(LOGITS, 0, mine, null, i % 3 - 1).token();
        }
        assertThat(got).containsExactly(expected);
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        assertThat(alone(1, 64)).isNotEqualTo(alone(2, 64));
    }
}
