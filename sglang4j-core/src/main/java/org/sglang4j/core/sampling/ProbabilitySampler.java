package org.sglang4j.core.sampling;

import java.util.Arrays;

/**
 * Draws one token from {@code softmax(logits / T)} restricted by top-k, top-p and min-p, without sorting the
 * vocabulary. The kept set is SGLang's default ("joint") rule, every filter judged on the full distribution:
 * with tokens ordered by probability (ties: lower id first), token {@code r} is kept iff {@code r < top_k}, the
 * probability mass ranked before it is {@code <= top_p}, and {@code p >= min_p * p_max}. The draw is proportional
 * to the kept probabilities.
 *
 * <p>Only tokens that can be kept are sorted. A descending ladder of thresholds {@code t} (in probability relative
 * to the max) is tried with one vectorized count/mass pass each until the tokens at or above {@code t} provably
 * contain the kept set: at least {@code top_k} of them, or their mass already exceeds {@code top_p}, or
 * {@code t <= min_p}. Those candidates are then reduced to the top {@code k} by selection and sorted. With no
 * top-k or top-p there is nothing to rank and the draw is a blocked inverse-CDF walk over the row.
 */
final class ProbabilitySampler {
    /** Gaps below the max logit, in units of temperature-scaled logit, tried in order. */
    private static final float[] LADDER_GAPS = {2, 4, 6, 9, 12, 16, 22, 30, 42, 60, 88};
    private static final int BLOCK = 1024;

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
        float z = LogitKernels.expShifted(logits, off, vocab, max, 1f / p.temperature(), probs);
        int k = p.topK() < 0 ? vocab : Math.min(p.topK(), vocab);
        if (k >= vocab && p.topP() >= 1f) {
            if (p.minP() > 0) LogitKernels.zeroBelow(probs, vocab, p.minP());
            return drawFromRow(vocab, state.nextRandom());
        }
        int n = gatherCandidates(vocab, k, p.topP() < 1f ? p.topP() * z : Float.POSITIVE_INFINITY, p.minP());
        if (n > k) {
            selectSmallest(keys, 0, n, k);
            n = k;
        }
        Arrays.sort(keys, 0, n);
        return drawFromSorted(n, p.topP() < 1f ? (double) p.topP() * z : Double.POSITIVE_INFINITY, p.minP(),
                state.nextRandom());
    }

    /** Fills {@link #keys} with every token that may be kept; returns how many. */
    private int gatherCandidates(int vocab, int k, float topPMass, float minP) {
        float t = Float.MIN_VALUE;
        for (float gap : LADDER_GAPS) {
            float candidate = (float) Math.exp(-gap);
            float mass = LogitKernels.massAtLeast(probs, vocab, candidate, count);
            // The margin keeps float rounding of the mass from cutting a token the exact rule would keep.
            if (count[0] >= k || mass > topPMass * 1.0001f || candidate <= minP) {
                t = candidate;
                break;
            }
        }
        return LogitKernels.gatherAtLeast(probs, vocab, t, keys);
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
