package org.sglang4j.bench.workload;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * English-looking filler text of an exact token length: sentences of common words drawn with Zipf frequencies
 * (so token statistics resemble prose, not uniform noise), encoded with the model's tokenizer, cut to the
 * target number of tokens and decoded. Nothing is downloaded; the same seed gives the same text.
 */
public final class SyntheticText {
    private static final String[] WORDS = ("the of and to a in is you that it he was for on are as with his they at be "
            + "this have from or one had by word but not what all were we when your can said there use an each which "
            + "she do how their if will up other about out many then them these so some her would make like him into "
            + "time has look two more write go see number no way could people my than first water been call who oil "
            + "its now find long down day did get come made may part order price customer delivery package refund "
            + "account payment store item return shipping address week help question service support problem card "
            + "email phone product size color exchange discount offer today soon please thanks sorry update status "
            + "tracking warehouse message team policy receipt invoice balance credit cancel change date online "
            + "available stock model brand quality review rating warranty repair replace damaged missing late early "
            + "small large new old good great best easy quick simple free extra full half total local international")
            .split(" ");
    private static final double[] CUMULATIVE = zipf(WORDS.length, 1.07);

    private SyntheticText() {}

    /** Text that our tokenizer encodes to {@code tokens} tokens (±1 where BPE merges across the cut). */
    public static String ofTokens(Tokenizer tokenizer, int tokens, SplittableRandom rnd) {
        if (tokens < 1) throw new IllegalArgumentException("text length must be >= 1 token, got " + tokens);
        StringBuilder sb = new StringBuilder();
        int[] ids = new int[0];
        // Common words are about one token each; grow until long enough, then cut at the token boundary.
        while (ids.length < tokens) {
            appendSentences(sb, rnd, Math.max(1, (tokens - ids.length) / 10 + 1));
            ids = tokenizer.encode(sb.toString(), false, false);
        }
        return tokenizer.decode(Arrays.copyOf(ids, tokens), false);
    }

    /** {@code count} sentences of 6–17 words. */
    public static void appendSentences(StringBuilder sb, SplittableRandom rnd, int count) {
        for (int s = 0; s < count; s++) {
            int n = 6 + rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                String w = word(rnd);
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
            }
            sb.append('.');
        }
    }

    static String word(SplittableRandom rnd) {
        int i = Arrays.binarySearch(CUMULATIVE, rnd.nextDouble());
        return WORDS[Math.min(WORDS.length - 1, i >= 0 ? i : -i - 1)];
    }

    private static double[] zipf(int n, double s) {
        double[] c = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) c[i] = sum += 1 / Math.pow(i + 1, s);
        for (int i = 0; i < n; i++) c[i] /= sum;
        return c;
    }
}
