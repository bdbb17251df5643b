package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A test-only reproduction of llama2.c's sampler (xorshift* RNG, float softmax, top-p with its cutoff prefilter),
 * written from the description in stories260K/README.md. It checks the README's RNG test vector, reproduces the
 * first sampled token of the two seeded reference generations from the real logits, and cross-checks that
 * llama2.c's top-p keeps exactly the tokens our joint rule keeps.
 */
class Llama2cSamplerTest {

    /** llama2.c's random_u32 / random_f32 on a 64-bit state. */
    private static final class XorShiftStar {
        long state;

        XorShiftStar(long seed) {
            state = seed;
        }

        int nextU32() {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            return (int) ((state * 0x2545F4914F6CDD1DL) >>> 32);
        }

        float nextF32() {
            return (nextU32() >>> 8) / 16777216.0f;
        }
    }

    private static float[] softmax(float[] logits, float temperature) {
        float[] p = new float[logits.length];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            p[i] = logits[i] / temperature;
            max = Math.max(max, p[i]);
        }
        float sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.exp(p[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** The ids llama2.c's top-p keeps, in its (probability-descending) order. */
    private static int[] topPKept(float[] probs, float topp) {
        float cutoff = (1.0f - topp) / (probs.length - 1);
        Integer[] cand = IntStream.range(0, probs.length).filter(i -> probs[i] >= cutoff).boxed().toArray(Integer[]::new);
        Arrays.sort(cand, Comparator.<Integer>comparingDouble(i -> -probs[i]).thenComparing(i -> i));
        float cum = 0;
        int last = cand.length - 1;
        for (int i = 0; i < cand.length; i++) {
            cum += probs[cand[i]];
            if (cum > topp) {
                last = i;
                break;
            }
        }
        return Arrays.stream(cand, 0, last + 1).mapToInt(Integer::intValue).toArray();
    }

    private static int sampleTopP(float[] probs, float topp, float coin) {
        int[] kept = topPKept(probs, topp);
        float total = 0;
        for (int id : kept) total += probs[id];
        float r = coin * total, cdf = 0;
        for (int id : kept) {
            cdf += probs[id];
            if (r < cdf) return id;
        }
        return kept[kept.length - 1];
    }

    @Test
    void rngMatchesTheReadmeTestVector() {
        XorShiftStar rng = new XorShiftStar(42);
        int[] u32 = new int[5];
        for (int i = 0; i < 5; i++) u32[i] = rng.nextU32();
        assertThat(Arrays.stream(u32).mapToLong(Integer::toUnsignedLong).toArray())
                .containsExactly(1456360119L, 3359763283L, 3393612768L, 4054632243L, 3283045847L);
        XorShiftStar f = new XorShiftStar(42);
        assertThat(f.nextF32()).isEqualTo(0.339085221f);
        assertThat(f.nextF32()).isEqualTo(0.782255828f);
        assertThat(f.nextF32()).isEqualTo(0.790136993f);
    }

    @Test
    void reproducesTheFirstSeededTokensOfTheReference() {
        // reference.jsonl line 9: "Once upon a time", T=1, top-p 0.9, seed 42 → first new token 432, sampled
        // from the logits at the last prompt position. Line 10: empty prompt, seed 1234 → 403 from position 0.
        assertThat(sampleTopP(softmax(StoriesLogits.lastPromptPos(), 1f), 0.9f, new XorShiftStar(42).nextF32()))
                .isEqualTo(432);
        assertThat(sampleTopP(softmax(StoriesLogits.pos0(), 1f), 0.9f, new XorShiftStar(1234).nextF32()))
                .isEqualTo(403);
    }

    @Test
    void llama2cTopPKeepsWhatOurRuleKeeps() {
        for (float[] logits : new float[][] {StoriesLogits.pos0(), StoriesLogits.lastPromptPos()}) {
            for (float t : new float[] {1f, 2f, 4f}) {
                for (float p : new float[] {0.5f, 0.9f, 0.95f, 0.99f}) {
                    int[] llama2c = topPKept(softmax(logits, t), p);
                    double[] ours = ReferenceSampling.distribution(logits, t, -1, p, 0f);
                    int[] oursKept = IntStream.range(0, logits.length).filter(i -> ours[i] > 0).toArray();
                    assertThat(Arrays.stream(llama2c).sorted().toArray()).as("T=%s top_p=%s", t, p)
                            .containsExactly(oursKept);
                }
            }
        }
    }
}
