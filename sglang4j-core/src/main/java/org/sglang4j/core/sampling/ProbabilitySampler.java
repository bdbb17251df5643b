package org.sglang4j.core.sampling;

import java.util.Arrays;

/**
 * Draws one token from {@code softmax(logits / T)} restricted by top-k, top-p and min-p, without sorting the
 * vocabulary. The kept set is SGLang's default ("joint") rule, every filter judged on the full distribution:
 * with tokens ordered by probability (ties: lower id first), token {@code r} is kept iff {@code r < top_k}, the
 * probability mass ranked before it is {@code <= top_p}, and {@code p >= min_p * p_max}. The draw is proportional
 * to the kept probabilities.
 *
 * <p>How the kept set is found without a full sort. Work in {@code q = exp((l - max) / T)} (so {@code q_max = 1}).
 * A threshold {@code t} is <em>sufficient</em> when the tokens with {@code q >= t} provably contain the kept set:
 * at least {@code top_k} of them, or their mass already exceeds {@code top_p}, or {@code t <= min_p}. A descending
 * ladder of thresholds, one vectorized count/mass pass each, finds a sufficient one; if it still admits more than
 * {@link #SORT_LIMIT} tokens, bisection on the float bits between it and the last insufficient threshold narrows it.
 * <ul>
 *   <li>Few candidates (the usual case for peaked LLM distributions): they are reduced to the top {@code k} by
 *       selection, sorted, and the rule is applied walking the sorted list.</li>
 *   <li>Many candidates even at adjacent float thresholds {@code lo}, {@code hi} (a large nucleus of a flat
 *       distribution): every token with {@code q >= hi} is kept (the insufficient {@code hi} means fewer than
 *       {@code top_k} of them, mass within {@code top_p}, all above {@code min_p}), the tokens exactly at {@code lo}
 *       are a tie group kept in id order as far as the rule allows, everything else is zeroed, and the draw is a
 *       row walk. Nothing is sorted.</li>
 * </ul>
 * With no top-k or top-p there is nothing to rank and the draw is a blocked inverse-CDF walk over the row.
 */
final class ProbabilitySampler {
    /** Gaps below the max logit, in units of temperature-scaled logit, tried in order. */
    private static final float[] LADDER_GAPS = {2, 4, 6, 9, 12, 16, 22, 30, 42, 60, 88};
    /** Candidate sets up to this size are sorted; larger ones are narrowed by bisection first. */
    static final int SORT_LIMIT = 2048;
    /** Relative slack on mass comparisons, far above the ~1e-7 error of the chunked sums. */
    private static final double MASS_SLACK = 1e-6;
    private static final int BLOCK = 1024;
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private final float[] probs;     // [vocab] exp((l - max) / T), unnormalized; max entry is 1
    private final long[] keys;       // [vocab] candidate keys, LogitKernels.key order
    private final float[] blockSums; // [vocab / BLOCK + 1]
    private final int[] count = new int[1];

    ProbabilitySampler(int vocab) {
        probs = new float[vocab];
        keys = new long[vocab];
        blockSums = new float[vocab / BLOCK + 1];
    }

    /** {@code logits[off, off + vocab)} must hold at least one finite value; returns the token. */
    int sample(float[] logits, int off, int vocab, float max, SamplingParams p, SamplerState state) {
        double z = LogitKernels.expShifted(logits, off, vocab, max, 1f / p.temperature(), probs);
        int k = p.topK() < 0 ? vocab : Math.min(p.topK(), vocab);
        float minP = p.minP();
        if (k >= vocab && p.topP() >= 1f) {
            if (minP > 0) LogitKernels.zeroBelow(probs, vocab, minP);
            return drawFromRow(vocab, state.nextRandom());
        }
        double pMass = p.topP() < 1f ? p.topP() * z : Double.POSITIVE_INFINITY;

        // Invariant: threshold bits lo are sufficient, hi are not (ONE_BITS + 1 lies above every q).
        int hi = ONE_BITS + 1, hiCount = 0, lo = 0, loCount = 0;
        double hiMass = 0;
        for (float gap : LADDER_GAPS) {
            float t = (float) Math.exp(-gap);
            double mass = LogitKernels.massAtLeast(probs, vocab, t, count);
            if (sufficient(t, count[0], mass, k, pMass, minP)) {
                lo = Float.floatToRawIntBits(t);
                loCount = count[0];
                break;
            }
            hi = Float.floatToRawIntBits(t);
            hiCount = count[0];
            hiMass = mass;
        }
        if (lo == 0) { // the ladder ran out: every positive q is a candidate
            lo = 1;
            LogitKernels.massAtLeast(probs, vocab, Float.MIN_VALUE, count);
            loCount = count[0];
        }
        while (loCount > SORT_LIMIT && hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            float t = Float.intBitsToFloat(mid);
            double mass = LogitKernels.massAtLeast(probs, vocab, t, count);
            if (sufficient(t, count[0], mass, k, pMass, minP)) {
                lo = mid;
                loCount = count[0];
            } else {
                hi = mid;
                hiCount = count[0];
                hiMass = mass;
            }
        }
        if (loCount <= SORT_LIMIT) {
            int n = LogitKernels.gatherAtLeast(probs, vocab, Float.intBitsToFloat(lo), keys);
            if (n > k) {
                selectSmallest(keys, 0, n, k);
                n = k;
            }
            Arrays.sort(keys, 0, n);
            return drawFromSorted(n, pMass, minP, state.nextRandom());
        }
        keepAboveAndTies(vocab, Float.intBitsToFloat(lo), hiCount, hiMass, k, pMass, minP);
        return drawFromRow(vocab, state.nextRandom());
    }

    private static boolean sufficient(float t, int count, double mass, int k, double pMass, float minP) {
        return count >= k || mass > pMass * (1 + MASS_SLACK) || t <= minP;
    }

    /**
     * Zeroes every q except those above {@code tie} (all kept) and the kept prefix, in id order, of the tokens
     * exactly at {@code tie}: tie token {@code j} is kept while {@code above + j < k}, the mass before it
     * {@code aboveMass + j * tie <= pMass}, and {@code tie >= minP}.
     */
    private void keepAboveAndTies(int vocab, float tie, int above, double aboveMass, int k, double pMass, float minP) {
        long keepTies = tie < minP ? 0 : k - above;
        if (pMass != Double.POSITIVE_INFINITY) {
            keepTies = Math.min(keepTies, (long) Math.max(0, Math.floor((pMass - aboveMass) / tie) + 1));
        }
        if (above == 0) keepTies = Math.max(keepTies, 1); // the max token is always kept
        LogitKernels.zeroBelow(probs, vocab, tie);
        LogitKernels.zeroTiesAfter(probs, vocab, tie, keepTies);
    }

    private int drawFromSorted(int n, double topPMass, float minP, double u01) {
        double before = 0;
        int kept = 0;
        for (; kept < n; kept++) {
            float q = LogitKernels.keyProb(keys[kept]);
            if (before > topPMass || q < minP || q == 0) break;
            before += q;
        }
        double u = u01 * before, acc = 0;
        for (int r = 0; r < kept; r++) {
            acc += LogitKernels.keyProb(keys[r]);
            if (u < acc) return LogitKernels.keyToken(keys[r]);
        }
        return LogitKernels.keyToken(keys[kept - 1]);
    }

    /** Inverse CDF over {@code probs[0, vocab)}: block sums first, then a walk inside one block. */
    private int drawFromRow(int vocab, double u01) {
        int blocks = (vocab + BLOCK - 1) / BLOCK;
        double total = 0;
        for (int b = 0; b < blocks; b++) {
            blockSums[b] = LogitKernels.sum(probs, b * BLOCK, Math.min(vocab, (b + 1) * BLOCK));
            total += blockSums[b];
        }
        double u = u01 * total;
        int b = 0;
        for (; b < blocks - 1; b++) {
            if (u < blockSums[b] && blockSums[b] > 0) break;
            u -= blockSums[b];
        }
        while (blockSums[b] == 0) b--; // rounding ran past the last non-empty block
        int from = b * BLOCK, to = Math.min(vocab, from + BLOCK), last = -1;
        double acc = 0;
        for (int i = from; i < to; i++) {
            if (probs[i] == 0) continue;
            acc += probs[i];
            last = i;
            if (u < acc) return i;
        }
        return last;
    }

    /** Rearranges {@code a[from, to)} so its {@code k} smallest values come first (in any order). */
    static void selectSmallest(long[] a, int from, int to, int k) {
        int lo = from, hi = to - 1, target = from + k - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // Median of three as pivot, kept at a[mid].
            if (a[mid] < a[lo]) swap(a, mid, lo);
            if (a[hi] < a[lo]) swap(a, hi, lo);
            if (a[hi] < a[mid]) swap(a, hi, mid);
            long pivot = a[mid];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) swap(a, i++, j--);
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return;
        }
    }

    private static void swap(long[] a, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
