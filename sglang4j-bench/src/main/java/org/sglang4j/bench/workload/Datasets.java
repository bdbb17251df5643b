package org.sglang4j.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * The single-turn datasets of {@code bench serving}, generated (no download):
 * <ul>
 *   <li>{@code random} (SGLang's random dataset): input and output lengths uniform in
 *       {@code [len × rangeRatio, len]}, prompt text of exactly that many tokens;</li>
 *   <li>{@code sharegpt} (a ShareGPT-like mix): log-normal lengths with ShareGPT's shape — most prompts short, a
 *       long tail (median ≈ 100 input and ≈ 200 output tokens, clipped to [4, 2048] and [4, 1024]) — so a run
 *       mixes short chats with long documents as real traffic does.</li>
 * </ul>
 */
public final class Datasets {
    private Datasets() {}

    public static List<Conversation> random(Tokenizer tok, int n, int inputLen, int outputLen, double rangeRatio,
                                            long seed) {
        if (rangeRatio < 0 || rangeRatio > 1) {
            throw new IllegalArgumentException("--random-range-ratio must be in [0, 1], got " + rangeRatio);
        }
        if (inputLen < 1 || outputLen < 1) {
            throw new IllegalArgumentException("--random-input-len and --random-output-len must be >= 1, got "
                    + inputLen + " and " + outputLen);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Conversation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int in = uniform(rnd, inputLen, rangeRatio);
            int o = uniform(rnd, outputLen, rangeRatio);
            String text = SyntheticText.ofTokens(tok, in, rnd);
            out.add(Conversation.single(i, new Turn(text, tok.encode(text, false, true).length, o)));
        }
        return out;
    }

    /** {@code fixedOutputLen} > 0 replaces the sampled output lengths (SGLang's --sharegpt-output-len). */
    public static List<Conversation> shareGptLike(Tokenizer tok, int n, int fixedOutputLen, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Conversation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int in = logNormal(rnd, 100, 1.1, 4, 2048);
            int o = fixedOutputLen > 0 ? fixedOutputLen : logNormal(rnd, 200, 0.9, 4, 1024);
            String text = SyntheticText.ofTokens(tok, in, rnd);
            out.add(Conversation.single(i, new Turn(text, tok.encode(text, false, true).length, o)));
        }
        return out;
    }

    private static int uniform(SplittableRandom rnd, int len, double ratio) {
        int lo = Math.max(1, (int) (len * ratio));
        return lo + rnd.nextInt(len - lo + 1);
    }

    private static int logNormal(SplittableRandom rnd, double median, double sigma, int min, int max) {
        double v = median * Math.exp(sigma * rnd.nextGaussian());
        return (int) Math.max(min, Math.min(max, Math.round(v)));
    }
}
