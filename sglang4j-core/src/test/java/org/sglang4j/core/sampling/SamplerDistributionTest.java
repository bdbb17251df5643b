package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Each filter against the brute-force {@link ReferenceSampling} distribution: many seeded draws, then a chi-square
 * goodness-of-fit test (significance ≈ 1e-6; seeds are fixed so the outcome is deterministic) plus exact checks
 * that every draw lies in the reference's kept set.
 */
class SamplerDistributionTest {
    private static final int DRAWS = 40_000;

    static float[] gaussianLogits(int vocab, double scale, long seed) {
        Random r = new Random(seed);
        float[] l = new float[vocab];
        for (int i = 0; i < vocab; i++) l[i] = (float) (r.nextGaussian() * scale);
        return l;
    }

    static Stream<Arguments> cases() {
        float[] small = gaussianLogits(50, 1.5, 7);
        float[] ties = new float[40];
        for (int i = 0; i < ties.length; i++) ties[i] = (i % 4) * 0.5f; // four groups of ten exactly tied logits
        return Stream.of(
                Arguments.of("small T=1", small, 1f, -1, 1f, 0f),
                Arguments.of("small T=0.7 top_k=5", small, 0.7f, 5, 1f, 0f),
                Arguments.of("small top_p=0.8", small, 1f, -1, 0.8f, 0f),
                Arguments.of("small min_p=0.1", small, 1f, -1, 1f, 0.1f),
                Arguments.of("small T=1.5 top_k=10 top_p=0.9 min_p=0.02", small, 1.5f, 10, 0.9f, 0.02f),
                Arguments.of("ties top_k=15", ties, 1f, 15, 1f, 0f),
                Arguments.of("ties top_p=0.6", ties, 1f, -1, 0.6f, 0f),
                Arguments.of("stories pos0 T=1", StoriesLogits.pos0(), 1f, -1, 1f, 0f),
                Arguments.of("stories pos0 T=2 top_p=0.9", StoriesLogits.pos0(), 2f, -1, 0.9f, 0f),
                Arguments.of("stories pos0 T=1.5 min_p=0.01", StoriesLogits.pos0(), 1.5f, -1, 1f, 0.01f),
                Arguments.of("stories last prompt T=3 top_k=40", StoriesLogits.lastPromptPos(), 3f, 40, 1f, 0f),
                Arguments.of("stories last prompt T=4 top_k=100 top_p=0.7", StoriesLogits.lastPromptPos(), 4f, 100, 0.7f, 0f),
                // Candidate sets beyond ProbabilitySampler.SORT_LIMIT: bisection, then the unsorted tie/row path.
                Arguments.of("5000 tied top_k=2500", new float[5000], 1f, 2500, 1f, 0f),
                Arguments.of("5000 tied top_p=0.3", new float[5000], 1f, -1, 0.3f, 0f),
                Arguments.of("flat 20000 top_p=0.5", gaussianLogits(20_000, 0.3, 11), 1f, -1, 0.5f, 0f),
                Arguments.of("flat 20000 top_k=6000 top_p=0.9", gaussianLogits(20_000, 0.3, 12), 1f, 6000, 0.9f, 0f));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void drawsFollowTheReferenceDistribution(String name, float[] logits, float t, int topK, float topP, float minP) {
        double[] expected = ReferenceSampling.distribution(logits, t, topK, topP, minP);
        SamplingParams params = SamplingParams.builder().temperature(t).topK(topK).topP(topP).minP(minP)
                .seed(12345L).build();
        // The row sits at an offset inside a larger buffer, as it does in a batch's logits.
        float[] buffer = new float[logits.length * 3];
        System.arraycopy(logits, 0, buffer, logits.length, logits.length);
        Sampler sampler = new Sampler(logits.length);
        SamplerState state = new SamplerState(params, logits.length, new int[0]);
        int[] counts = new int[logits.length];
        int draws = logits.length > 1000 ? DRAWS / 2 : DRAWS; // large rows: rely on the mass-binned test below
        for (int i = 0; i < draws; i++) {
            int token = sampler.sample(buffer, logits.length, state, null, Sampler.NO_LOGPROBS).token();
            assertThat(expected[token]).as("%s: token %d is outside the kept set", name, token).isGreaterThan(0);
            counts[token]++;
        }
        ReferenceSampling.ChiSquare chi = ReferenceSampling.chiSquare(counts, expected);
        assertThat(chi.statistic()).as("%s: chi-square with %d df", name, chi.df()).isLessThan(chi.critical());
        // The same over 20 bins of equal reference mass: catches mass lost or gained at the filter boundary when
        // each single token is too rare for the per-token test.
        int[] bin = ReferenceSampling.massQuantileBins(expected, 20);
        int[] binCounts = new int[20];
        double[] binExpected = new double[20];
        for (int i = 0; i < logits.length; i++) {
            if (bin[i] < 0) continue;
            binCounts[bin[i]] += counts[i];
            binExpected[bin[i]] += expected[i];
        }
        ReferenceSampling.ChiSquare binned = ReferenceSampling.chiSquare(binCounts, binExpected);
        assertThat(binned.statistic()).as("%s: mass-binned chi-square with %d df", name, binned.df())
                .isLessThan(binned.critical());
        // Every kept token that should appear a few dozen times does appear (the filter is not too narrow).
        for (int i = 0; i < logits.length; i++) {
            if (expected[i] * draws > 30) assertThat(counts[i]).as("%s: token %d never drawn", name, i).isPositive();
        }
    }

    @Test
    void chiSquareRejectsAWrongDistribution() {
        // The test above can fail: a sampler that ignored top_k would be caught.
        float[] logits = gaussianLogits(50, 1.5, 7);
        double[] withTopK = ReferenceSampling.distribution(logits, 1f, 10, 1f, 0f);
        SamplingParams unfiltered = SamplingParams.builder().temperature(1f).topK(12).seed(1L).build();
        Sampler sampler = new Sampler(50);
        SamplerState state = new SamplerState(unfiltered, 50, new int[0]);
        int[] counts = new int[50];
        for (int i = 0; i < DRAWS; i++) counts[sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token()]++;
        double[] smoothed = withTopK.clone();
        for (int i = 0; i < 50; i++) smoothed[i] = Math.max(smoothed[i], 1e-9);
        ReferenceSampling.ChiSquare chi = ReferenceSampling.chiSquare(counts, smoothed);
        assertThat(chi.statistic()).isGreaterThan(chi.critical());
    }

    @Test
    void fullQwenSizedVocabularyStaysInsideTheKeptSet() {
        int vocab = 151_936;
        float[] logits = gaussianLogits(vocab, 3.0, 99);
        Sampler sampler = new Sampler(vocab);
        record Case(float t, int topK, float topP, float minP, int draws) {}
        for (Case c : new Case[] {
                new Case(1f, 20, 1f, 0f, 3000),      // small top-k from a large candidate set (selection path)
                new Case(0.5f, -1, 0.5f, 0f, 300),   // nucleus of several hundred tokens
                new Case(1f, -1, 0.95f, 0f, 100),    // nucleus of thousands (deep threshold ladder)
                new Case(1f, -1, 1f, 0.2f, 300),     // min-p only (row walk)
                new Case(1f, -1, 1f, 0f, 300)}) {    // unfiltered (row walk)
            double[] expected = ReferenceSampling.distribution(logits, c.t, c.topK, c.topP, c.minP);
            SamplerState state = new SamplerState(SamplingParams.builder().temperature(c.t).topK(c.topK)
                    .topP(c.topP).minP(c.minP).seed(5L).build(), vocab, new int[0]);
            int[] counts = new int[vocab];
            for (int i = 0; i < c.draws; i++) {
                int token = sampler.sample(logits, 0, state, null, Sampler.NO_LOGPROBS).token();
                assertThat(expected[token]).as("%s: token %d", c, token).isGreaterThan(0);
                counts[token]++;
            }
            if (c.topK == 20) {
                ReferenceSampling.ChiSquare chi = ReferenceSampling.chiSquare(counts, expected);
                assertThat(chi.statistic()).as("%s", c).isLessThan(chi.critical());
            }
        }
    }
}
