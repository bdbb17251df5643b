package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants over random rows, parameters and masks. */
class SamplerProperties {

    /** Logits with deliberate ties (values on a coarse grid) and a few very negative entries. */
    private static float[] logits(Random r, int vocab) {
        float[] l = new float[vocab];
        for (int i = 0; i < vocab; i++) l[i] = r.nextInt(4) == 0 ? Math.round(r.nextGaussian() * 4) / 2f
                : (float) (r.nextGaussian() * 3);
        if (vocab > 3) l[r.nextInt(vocab)] = -200f;
        return l;
    }

    private static long[] mask(Random r, int vocab, int allowedPercent) {
        long[] m = new long[(vocab + 63) / 64];
        for (int i = 0; i < vocab; i++) if (r.nextInt(100) < allowedPercent) m[i >>> 6] |= 1L << i;
        int forced = r.nextInt(vocab);
        m[forced >>> 6] |= 1L << forced;
        return m;
    }

    @Property(tries = 400)
    void sampledTokenIsAllowedAndInsideTheKeptSet(
            @ForAll @IntRange(min = 1, max = 400) int vocab,
            @ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int temperatureKind,
            @ForAll @IntRange(min = -1, max = 50) int topK,
            @ForAll @FloatRange(min = 0.01f, max = 1f) float topP,
            @ForAll @FloatRange(min = 0f, max = 1f) float minP,
            @ForAll @IntRange(min = 0, max = 100) int allowedPercent,
            @ForAll boolean masked) {
        Random r = new Random(seed);
        float[] raw = logits(r, vocab);
        long[] mask = masked ? mask(r, vocab, allowedPercent) : null;
        float temperature = switch (temperatureKind) {
            case 0 -> 0f;
            case 1 -> 0.1f;
            case 2 -> 1f;
            default -> 4f;
        };
        float effectiveMinP = r.nextBoolean() ? 0f : minP;
        SamplingParams p = SamplingParams.builder().temperature(temperature).topK(topK == 0 ? -1 : topK).topP(topP)
                .minP(effectiveMinP).seed(seed).build();
        SamplerState state = new SamplerState(p, vocab, new int[0]);
        Sampler sampler = new Sampler(vocab);

        float[] processed = raw.clone();
        if (mask != null) {
            for (int i = 0; i < vocab; i++) if ((mask[i >>> 6] & (1L << i)) == 0) processed[i] = Float.NEGATIVE_INFINITY;
        }
        for (int draw = 0; draw < 5; draw++) {
            int token = sampler.sample(raw, 0, state, mask, Sampler.NO_LOGPROBS).token();
            assertThat(processed[token]).as("token %d is masked", token).isGreaterThan(Float.NEGATIVE_INFINITY);
            if (p.isGreedy()) {
                int best = 0;
                for (int i = 1; i < vocab; i++) if (processed[i] > processed[best]) best = i;
                assertThat(token).isEqualTo(best);
            } else {
                assertThat(inRelaxedKeptSet(processed, token, temperature, p.topK(), topP, effectiveMinP))
                        .as("token %d outside top-k/top-p/min-p", token).isTrue();
            }
        }
    }

    /**
     * The kept-set rule, with ties at the boundary counted in and a little slack on the mass and min-p thresholds,
     * so float rounding in the sampler cannot make the property fail while any real filter error still does.
     */
    private static boolean inRelaxedKeptSet(float[] logits, int token, float t, int topK, float topP, float minP) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double z = 0, qt = Math.exp((logits[token] - max) / t), above = 0;
        int strictlyAbove = 0;
        for (float l : logits) {
            double q = Math.exp((l - max) / t);
            z += q;
            if (q > qt) {
                above += q;
                strictlyAbove++;
            }
        }
        int k = topK < 0 ? logits.length : topK;
        return strictlyAbove < k && above <= topP * z * (1 + 1e-4) + 1e-12 && qt >= minP * (1 - 1e-5);
    }

    @Property(tries = 300)
    void topLogprobsMatchAFullSort(@ForAll @IntRange(min = 1, max = 2000) int vocab, @ForAll long seed,
                                   @ForAll @IntRange(min = 0, max = 40) int n) {
        Random r = new Random(seed);
        float[] l = new float[vocab];
        for (int i = 0; i < vocab; i++) l[i] = r.nextInt(8) - 4; // many exact ties
        TopLogprobs top = Logprobs.top(l, 0, vocab, n);
        Integer[] ids = new Integer[vocab];
        for (int i = 0; i < vocab; i++) ids[i] = i;
        Arrays.sort(ids, (a, b) -> l[a] != l[b] ? Float.compare(l[b], l[a]) : Integer.compare(a, b));
        int[] expected = Arrays.stream(ids).limit(Math.min(n, vocab)).mapToInt(Integer::intValue).toArray();
        assertThat(top.tokens()).containsExactly(expected);
    }

    @Property(tries = 300)
    void tokenOccurrencesCountLikeAHashMap(@ForAll @Size(max = 3000) List<@IntRange(min = 0, max = 151_935) Integer> out,
                                           @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 151_935) Integer> prompt) {
        TokenOccurrences occ = new TokenOccurrences();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int t : prompt) occ.addPrompt(t);
        for (int t : out) {
            occ.addOutput(t);
            counts.merge(t, 1, Integer::sum);
        }
        Map<Integer, Integer> seen = new HashMap<>();
        for (int j = 0; j < occ.size(); j++) {
            assertThat(seen.put(occ.token(j), occ.outputCount(j))).as("token listed twice").isNull();
            assertThat(occ.inPrompt(j)).isEqualTo(prompt.contains(occ.token(j)));
        }
        for (int t : prompt) seen.putIfAbsent(t, 0);
        for (var e : counts.entrySet()) assertThat(seen.get(e.getKey())).isEqualTo(e.getValue());
        assertThat(seen.size()).isEqualTo(occ.size());
        for (var e : counts.entrySet()) assertThat(occ.outputCountOf(e.getKey())).isEqualTo(e.getValue());
    }

    @Property(tries = 300)
    void selectionPutsTheKSmallestFirst(@ForAll @Size(min = 1, max = 500) List<@IntRange(min = -20, max = 20) Integer> values,
                                        @ForAll @IntRange(min = 1, max = 500) int kRaw) {
        long[] a = values.stream().mapToLong(Integer::longValue).toArray();
        int k = Math.min(kRaw, a.length);
        long[] sorted = a.clone();
        Arrays.sort(sorted);
        ProbabilitySampler.selectSmallest(a, 0, a.length, k);
        long[] head = Arrays.copyOf(a, k);
        Arrays.sort(head);
        assertThat(head).containsExactly(Arrays.copyOf(sorted, k));
    }
}
