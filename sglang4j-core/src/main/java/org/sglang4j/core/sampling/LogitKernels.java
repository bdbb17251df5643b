package org.sglang4j.core.sampling;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized passes over a vocabulary-sized row ({@code a[off, off + n)}): max, argmax, shifted exponentials,
 * log-sum-exp, and threshold count/mass. These are the only O(vocab) loops of a sampling step, so each is a
 * Vector API body with a scalar tail.
 */
final class LogitKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Floats summed in vector lanes before the partial sum is folded into a double: keeps 150k-term sums exact to ~1e-7. */
    private static final int CHUNK = 1024;

    private LogitKernels() {}

    /** Largest value; NaN if the row holds a NaN (callers reject it). */
    static float max(float[] a, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int bound = S.loopBound(n); i < bound; i += L) {
                acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, a, off + i));
            }
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, a[off + i]);
        return m;
    }

    /** Index (relative to {@code off}) of the first occurrence of {@code value}, or -1. */
    static int indexOf(float[] a, int off, int n, float value) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> eq = FloatVector.fromArray(S, a, off + i).compare(VectorOperators.EQ, value);
            if (eq.anyTrue()) return i + eq.firstTrue();
        }
        for (; i < n; i++) if (a[off + i] == value) return i;
        return -1;
    }

    /**
     * Writes {@code dst[i] = exp((a[off + i] - shift) * scale)} for {@code i < n} and returns their sum. With
     * {@code shift} = the row max the largest term is exactly 1 and nothing overflows; -inf entries give 0.
     */
    static double expShifted(float[] a, int off, int n, float shift, float scale, float[] dst) {
        int i = 0;
        double sum = 0;
        for (int bound = S.loopBound(n); i < bound; ) {
            FloatVector acc = FloatVector.zero(S);
            for (int chunkEnd = Math.min(bound, i + CHUNK); i < chunkEnd; i += L) {
                FloatVector e = FloatVector.fromArray(S, a, off + i).sub(shift).mul(scale).lanewise(VectorOperators.EXP);
                e.intoArray(dst, i);
                acc = acc.add(e);
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp((a[off + i] - shift) * scale);
            dst[i] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code log(sum(exp(a)))} over the row, computed around the max so it never overflows. */
    static float logSumExp(float[] a, int off, int n) {
        float m = max(a, off, n);
        if (m == Float.NEGATIVE_INFINITY || Float.isNaN(m) || m == Float.POSITIVE_INFINITY) return m;
        int i = 0;
        double sum = 0;
        for (int bound = S.loopBound(n); i < bound; ) {
            FloatVector acc = FloatVector.zero(S);
            for (int chunkEnd = Math.min(bound, i + CHUNK); i < chunkEnd; i += L) {
                acc = acc.add(FloatVector.fromArray(S, a, off + i).sub(m).lanewise(VectorOperators.EXP));
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum += Math.exp(a[off + i] - m);
        return (float) (m + Math.log(sum));
    }

    /** Sum of {@code q[i] >= t} over {@code q[0, n)}; their count goes to {@code countOut[0]}. */
    static double massAtLeast(float[] q, int n, float t, int[] countOut) {
        int i = 0, count = 0;
        double sum = 0;
        FloatVector zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; ) {
            FloatVector acc = zero;
            for (int chunkEnd = Math.min(bound, i + CHUNK); i < chunkEnd; i += L) {
                FloatVector v = FloatVector.fromArray(S, q, i);
                VectorMask<Float> keep = v.compare(VectorOperators.GE, t);
                count += keep.trueCount();
                acc = acc.add(zero.blend(v, keep));
            }
            sum += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            if (q[i] >= t) {
                count++;
                sum += q[i];
            }
        }
        countOut[0] = count;
        return sum;
    }

    /** Sets {@code q[i] = 0} where {@code q[i] < t}. */
    static void zeroBelow(float[] q, int n, float t) {
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, q, i);
            v.blend(zero, v.compare(VectorOperators.LT, t)).intoArray(q, i);
        }
        for (; i < n; i++) if (q[i] < t) q[i] = 0;
    }

    /** Keeps the first {@code keep} entries (in index order) equal to {@code value} and zeroes the others. */
    static void zeroTiesAfter(float[] q, int n, float value, long keep) {
        long seen = 0;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            long bits = FloatVector.fromArray(S, q, i).compare(VectorOperators.EQ, value).toLong();
            for (; bits != 0; bits &= bits - 1) {
                if (seen++ >= keep) q[i + Long.numberOfTrailingZeros(bits)] = 0;
            }
        }
        for (; i < n; i++) if (q[i] == value && seen++ >= keep) q[i] = 0;
    }

    /** Sum of {@code q[from, to)}. */
    static float sum(float[] q, int from, int to) {
        int i = from;
        float sum = 0;
        if (to - from >= L) {
            FloatVector acc = FloatVector.zero(S);
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) acc = acc.add(FloatVector.fromArray(S, q, i));
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < to; i++) sum += q[i];
        return sum;
    }

    /**
     * Writes into {@code keys} one sortable key per {@code q[i] >= t} (see {@link #key}) and returns how many.
     */
    static int gatherAtLeast(float[] q, int n, float t, long[] keys) {
        int i = 0, count = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            long bits = FloatVector.fromArray(S, q, i).compare(VectorOperators.GE, t).toLong();
            while (bits != 0) {
                int lane = Long.numberOfTrailingZeros(bits);
                keys[count++] = key(q[i + lane], i + lane);
                bits &= bits - 1;
            }
        }
        for (; i < n; i++) if (q[i] >= t) keys[count++] = key(q[i], i);
        return count;
    }

    /**
     * A long that sorts ascending by probability descending, then token id ascending: for non-negative floats
     * the raw bits are monotonic, so the high word is {@code MAX - bits(q)} and the low word the id.
     */
    static long key(float q, int token) {
        return ((long) (Integer.MAX_VALUE - Float.floatToRawIntBits(q)) << 32) | token;
    }

    static int keyToken(long key) {
        return (int) key;
    }

    static float keyProb(long key) {
        return Float.intBitsToFloat(Integer.MAX_VALUE - (int) (key >>> 32));
    }
}
