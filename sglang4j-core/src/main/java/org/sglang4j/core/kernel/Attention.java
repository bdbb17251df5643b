package org.sglang4j.core.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention of query heads over keys and values gathered through KV slots:
 * {@code out = Σ_i softmax(q·k_i · scale)_i · v_i} with {@code k_i, v_i} the rows of slot {@code slots[i]},
 * {@code i < len}. Cache rows are {@code kvDim} wide and the K/V head's values start at {@code headOff} of each row;
 * the query heads of one grouped-query group are processed together so the group reads each row once. Caches are
 * off-heap memory segments holding float32, or IEEE half / bfloat16 bit patterns converted in registers.
 */
public final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Same lane count as {@link #S}, half the bits: one 16-bit cache value per float lane. */
    private static final VectorSpecies<Short> H =
            VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private Attention() {}

    /**
     * Positions per block: a block of K or V rows of one head stays in L1/L2 while every head of the group uses it.
     * At least one {@link #scoreBlock} pass (four vectors of positions): 64 up to 512-bit vectors, more on wider
     * ones (SVE), where a fixed 64 would have run a pass past the end of its scratch.
     */
    private static final int BLOCK = Math.max(64, Attention.SUM_VECTORS * S.length());

    /**
     * Float32 cache. Attends {@code nHeads} query heads that share one K/V head (a GQA group, or part of one): head
     * {@code j} reads {@code q[qOff + j·headDim, +headDim)} and writes {@code out[outOff + j·headDim, +headDim)}.
     * {@code keys} and {@code values} hold little-endian rows of {@code kvDim} floats, row {@code s} at byte
     * {@code s · kvDim · 4}. {@code scores} needs {@code nHeads · len} entries of scratch. Every query value is read
     * before the first output is written, so {@code out} may be the same range of the same array as {@code q}.
     */
    public static void attend(float[] q, int qOff, int nHeads, MemorySegment keys, MemorySegment values, int headOff,
                              int kvDim, int[] slots, int len, int headDim, float scale, float[] scores, float[] out,
                              int outOff) {
        attendRuns(F32_ROWS, q, qOff, 0, 1, nHeads, keys, values, 4L * kvDim, 4L * headOff, slots, len, headDim,
                scale, scores, out, outOff);
    }

    /**
     * 16-bit cache: little-endian IEEE half when {@code bf16} is false, bfloat16 when true, row {@code s} at byte
     * {@code s · kvDim · 2}; otherwise as the float32 variant.
     */
    public static void attend(float[] q, int qOff, int nHeads, MemorySegment keys, MemorySegment values, boolean bf16,
                              int headOff, int kvDim, int[] slots, int len, int headDim, float scale, float[] scores,
                              float[] out, int outOff) {
        attendRuns(bf16 ? BF16_ROWS : F16_ROWS, q, qOff, 0, 1, nHeads, keys, values, 2L * kvDim, 2L * headOff, slots,
                len, headDim, scale, scores, out, outOff);
    }

    private static final int F32_ROWS = 0;
    private static final int F16_ROWS = 1;
    private static final int BF16_ROWS = 2;

    /**
     * Float32 cache, {@code nTokens} query tokens of one sequence at consecutive positions (an extend): token
     * {@code i} attends rows {@code slots[0, len0 + i)}; its head {@code j} is at
     * {@code q[qOff + i·qStride + j·headDim]} and its output goes to {@code out[outOff + i·qStride + j·headDim]}.
     * Each token gets what {@link #attend} gives it alone: the same operations in the same order. {@code scores} needs
     * {@code nTokens · nHeads · (len0 + nTokens − 1)} entries. All queries are read before any output is written,
     * so {@code out} may be the same range of the same array as {@code q}.
     */
    public static void attendTokens(float[] q, int qOff, int qStride, int nTokens, int nHeads, MemorySegment keys,
                                    MemorySegment values, int headOff, int kvDim, int[] slots, int len0, int headDim,
                                    float scale, float[] scores, float[] out, int outOff) {
        attendRuns(F32_ROWS, q, qOff, qStride, nTokens, nHeads, keys, values, 4L * kvDim, 4L * headOff, slots, len0,
                headDim, scale, scores, out, outOff);
    }

    /** 16-bit cache (IEEE half, or bfloat16 when {@code bf16}); otherwise as the float32 variant. */
    public static void attendTokens(float[] q, int qOff, int qStride, int nTokens, int nHeads, MemorySegment keys,
                                    MemorySegment values, boolean bf16, int headOff, int kvDim, int[] slots, int len0,
                                    int headDim, float scale, float[] scores, float[] out, int outOff) {
        attendRuns(bf16 ? BF16_ROWS : F16_ROWS, q, qOff, qStride, nTokens, nHeads, keys, values, 2L * kvDim,
                2L * headOff, slots, len0, headDim, scale, scores, out, outOff);
    }

    /**
     * Each block of K (then V) rows of the head is loaded once, as floats, into a per-thread scratch that stays in
     * L1, and every head of every token of the run reads it there. For 16-bit caches that does the widening
     * (several vector ops per value, more than the multiply-add it feeds) once per block instead of once per head
     * and token; for float32 it is one bulk copy per row, where reading the off-heap rows with a vector load per
     * head and slice was 10-20% slower than reading them from a Java array.
     *
     * <p>Scores come from the K block transposed (one row per head dimension, one lane per position): a query
     * value broadcast times a row of the transposed block adds to the scores of a vector of positions at once,
     * so no score needs a horizontal sum of lanes (which cost more than the dot product it ended). Every token
     * therefore sums its score over the head dimension in one fixed order, the same in a run as alone. The
     * weighted sum of V rows takes four query heads of a token per pass, so each V vector loaded feeds four
     * multiply-adds.
     */
    private static void attendRuns(int format, float[] q, int qOff, int qStride, int nTokens, int nHeads,
                                   MemorySegment keys, MemorySegment values, long rowBytes, long headBytes,
                                   int[] slots, int len0, int headDim, float scale, float[] scores, float[] out,
                                   int outOff) {
        Scratch scratch = SCRATCH.get().fit(headDim);
        float[] block = scratch.rows;
        float[] kt = scratch.transposed;
        float[] pair = scratch.pair;
        int maxLen = len0 + nTokens - 1;
        for (int b0 = 0; b0 < maxLen; b0 += BLOCK) {
            int b1 = Math.min(maxLen, b0 + BLOCK);
            loadRows(format, keys, slots, b0, b1, rowBytes, headBytes, headDim, block);
            transpose(block, b1 - b0, headDim, kt);
            // Token i sees len0 + i rows: it has rows in this block once len0 + i > b0.
            for (int i = Math.max(0, b0 - len0 + 1); i < nTokens; i++) {
                int end = Math.min(b1, len0 + i);
                int qi = qOff + i * qStride;
                int si = i * nHeads * maxLen;
                for (int j = 0; j < nHeads; j += 2) {
                    int j2 = Math.min(j + 1, nHeads - 1); // an odd head count does its last head twice
                    scoreBlock(q, qi + j * headDim, qi + j2 * headDim, kt, headDim, end - b0, scale, pair);
                    System.arraycopy(pair, 0, scores, si + j * maxLen + b0, end - b0);
                    System.arraycopy(pair, BLOCK, scores, si + j2 * maxLen + b0, end - b0);
                }
            }
        }
        for (int i = 0; i < nTokens; i++) {
            for (int j = 0; j < nHeads; j++) Softmax.inPlace(scores, (i * nHeads + j) * maxLen, len0 + i);
            java.util.Arrays.fill(out, outOff + i * qStride, outOff + i * qStride + nHeads * headDim, 0f);
        }
        boolean fourHeads = headDim % (SUM_VECTORS * S.length()) == 0;
        for (int b0 = 0; b0 < maxLen; b0 += BLOCK) {
            int b1 = Math.min(maxLen, b0 + BLOCK);
            loadRows(format, values, slots, b0, b1, rowBytes, headBytes, headDim, block);
            for (int i = Math.max(0, b0 - len0 + 1); i < nTokens; i++) {
                int n = Math.min(b1, len0 + i) - b0;
                int pi = i * nHeads * maxLen + b0;
                int oi = outOff + i * qStride;
                if (!fourHeads) {
                    for (int j = 0; j < nHeads; j++) {
                        weightedSumRows(scores, pi + j * maxLen, block, n, out, oi + j * headDim, headDim);
                    }
                    continue;
                }
                for (int j = 0; j < nHeads; j += 4) {
                    // Fewer than four heads left: the last one again (same inputs, same output, stored twice).
                    int j1 = Math.min(j + 1, nHeads - 1), j2 = Math.min(j + 2, nHeads - 1);
                    int j3 = Math.min(j + 3, nHeads - 1);
                    weightedSum4(scores, pi + j * maxLen, pi + j1 * maxLen, pi + j2 * maxLen, pi + j3 * maxLen,
                            block, n, out, oi + j * headDim, oi + j1 * headDim, oi + j2 * headDim,
                            oi + j3 * headDim, headDim);
                }
            }
        }
    }

    /** Vectors per pass: of a V row per head in {@link #weightedSum4}, of positions in {@link #scoreBlock}. */
    private static final int SUM_VECTORS = 4;

    /** {@code kt[d·BLOCK + p] = rows[p·headDim + d]} for {@code p < n}. */
    static void transpose(float[] rows, int n, int headDim, float[] kt) {
        for (int p = 0; p < n; p++) {
            int r = p * headDim;
            for (int d = 0; d < headDim; d++) kt[d * BLOCK + p] = rows[r + d];
        }
    }

    /**
     * Scores of two query heads (at {@code q[qa…]} and {@code q[qb…]}) over the first {@code n} positions of the
     * block whose transpose is {@code kt}, times {@code scale}, into {@code pair[p]} and {@code pair[BLOCK + p]}.
     * Four vectors of positions at a time: eight accumulators, and each row vector of {@code kt} loaded serves both
     * heads. Whole vectors are stored (lanes past {@code n} come from stale scratch); the caller copies what it
     * needs. Masked stores here, eight per pass, overran C2's inlining budget and boxed every vector.
     */
    static void scoreBlock(float[] q, int qa, int qb, float[] kt, int headDim, int n, float scale, float[] pair) {
        int lanes = S.length();
        for (int col = 0; col < n; col += SUM_VECTORS * lanes) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            for (int d = 0; d < headDim; d++) {
                int r = d * BLOCK + col;
                FloatVector k0 = FloatVector.fromArray(S, kt, r);
                FloatVector k1 = FloatVector.fromArray(S, kt, r + lanes);
                FloatVector k2 = FloatVector.fromArray(S, kt, r + 2 * lanes);
                FloatVector k3 = FloatVector.fromArray(S, kt, r + 3 * lanes);
                FloatVector x = FloatVector.broadcast(S, q[qa + d]);
                FloatVector y = FloatVector.broadcast(S, q[qb + d]);
                a0 = k0.fma(x, a0);
                a1 = k1.fma(x, a1);
                a2 = k2.fma(x, a2);
                a3 = k3.fma(x, a3);
                c0 = k0.fma(y, c0);
                c1 = k1.fma(y, c1);
                c2 = k2.fma(y, c2);
                c3 = k3.fma(y, c3);
            }
            a0.mul(scale).intoArray(pair, col);
            a1.mul(scale).intoArray(pair, col + lanes);
            a2.mul(scale).intoArray(pair, col + 2 * lanes);
            a3.mul(scale).intoArray(pair, col + 3 * lanes);
            c0.mul(scale).intoArray(pair, BLOCK + col);
            c1.mul(scale).intoArray(pair, BLOCK + col + lanes);
            c2.mul(scale).intoArray(pair, BLOCK + col + 2 * lanes);
            c3.mul(scale).intoArray(pair, BLOCK + col + 3 * lanes);
        }
    }

    /**
     * {@link #weightedSumRows} for four heads at once ({@code headDim} a multiple of {@link #SUM_VECTORS} vectors):
     * sixteen accumulators, and each vector of a row loaded feeds all four heads. Per head the same multiply-adds
     * in the same order as {@link #weightedSumRows}.
     */
    static void weightedSum4(float[] p, int p0, int p1, int p2, int p3, float[] rows, int n, float[] out, int o0,
                             int o1, int o2, int o3, int headDim) {
        int lanes = S.length();
        for (int d = 0; d < headDim; d += SUM_VECTORS * lanes) {
            int e = d + lanes, f = d + 2 * lanes, g = d + 3 * lanes;
            FloatVector a0 = FloatVector.fromArray(S, out, o0 + d), a1 = FloatVector.fromArray(S, out, o0 + e);
            FloatVector a2 = FloatVector.fromArray(S, out, o0 + f), a3 = FloatVector.fromArray(S, out, o0 + g);
            FloatVector b0 = FloatVector.fromArray(S, out, o1 + d), b1 = FloatVector.fromArray(S, out, o1 + e);
            FloatVector b2 = FloatVector.fromArray(S, out, o1 + f), b3 = FloatVector.fromArray(S, out, o1 + g);
            FloatVector c0 = FloatVector.fromArray(S, out, o2 + d), c1 = FloatVector.fromArray(S, out, o2 + e);
            FloatVector c2 = FloatVector.fromArray(S, out, o2 + f), c3 = FloatVector.fromArray(S, out, o2 + g);
            FloatVector e0 = FloatVector.fromArray(S, out, o3 + d), e1 = FloatVector.fromArray(S, out, o3 + e);
            FloatVector e2 = FloatVector.fromArray(S, out, o3 + f), e3 = FloatVector.fromArray(S, out, o3 + g);
            for (int i = 0; i < n; i++) {
                int r = i * headDim;
                FloatVector v0 = FloatVector.fromArray(S, rows, r + d), v1 = FloatVector.fromArray(S, rows, r + e);
                FloatVector v2 = FloatVector.fromArray(S, rows, r + f), v3 = FloatVector.fromArray(S, rows, r + g);
                FloatVector w = FloatVector.broadcast(S, p[p0 + i]);
                a0 = v0.fma(w, a0);
                a1 = v1.fma(w, a1);
                a2 = v2.fma(w, a2);
                a3 = v3.fma(w, a3);
                w = FloatVector.broadcast(S, p[p1 + i]);
                b0 = v0.fma(w, b0);
                b1 = v1.fma(w, b1);
                b2 = v2.fma(w, b2);
                b3 = v3.fma(w, b3);
                w = FloatVector.broadcast(S, p[p2 + i]);
                c0 = v0.fma(w, c0);
                c1 = v1.fma(w, c1);
                c2 = v2.fma(w, c2);
                c3 = v3.fma(w, c3);
                w = FloatVector.broadcast(S, p[p3 + i]);
                e0 = v0.fma(w, e0);
                e1 = v1.fma(w, e1);
                e2 = v2.fma(w, e2);
                e3 = v3.fma(w, e3);
            }
            a0.intoArray(out, o0 + d);
            a1.intoArray(out, o0 + e);
            a2.intoArray(out, o0 + f);
            a3.intoArray(out, o0 + g);
            b0.intoArray(out, o1 + d);
            b1.intoArray(out, o1 + e);
            b2.intoArray(out, o1 + f);
            b3.intoArray(out, o1 + g);
            c0.intoArray(out, o2 + d);
            c1.intoArray(out, o2 + e);
            c2.intoArray(out, o2 + f);
            c3.intoArray(out, o2 + g);
            e0.intoArray(out, o3 + d);
            e1.intoArray(out, o3 + e);
            e2.intoArray(out, o3 + f);
            e3.intoArray(out, o3 + g);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** This thread's block of rows as floats and the K block transposed, grown on first use and then reused. */
    private static final class Scratch {
        float[] rows = new float[0];
        float[] transposed = new float[0];
        /** Scores of two heads over one block ({@link #scoreBlock}). */
        final float[] pair = new float[2 * BLOCK];

        Scratch fit(int headDim) {
            if (rows.length < BLOCK * headDim) {
                rows = new float[BLOCK * headDim];
                transposed = new float[BLOCK * headDim];
            }
            return this;
        }
    }

    /**
     * The head's values of rows {@code slots[b0, b1)} (row {@code s} at byte {@code s · rowBytes + headBytes}) as
     * floats, back to back into {@code dst}.
     */
    static void loadRows(int format, MemorySegment src, int[] slots, int b0, int b1, long rowBytes, long headBytes,
                         int headDim, float[] dst) {
        if (format == F32_ROWS) {
            for (int i = b0; i < b1; i++) {
                MemorySegment.copy(src, F32, slots[i] * rowBytes + headBytes, dst, (i - b0) * headDim, headDim);
            }
            return;
        }
        boolean bf16 = format == BF16_ROWS;
        int bound = S.loopBound(headDim);
        for (int i = b0; i < b1; i++) {
            long from = slots[i] * rowBytes + headBytes;
            int to = (i - b0) * headDim;
            int d = 0;
            for (; d < bound; d += S.length()) load16(src, from + 2L * d, bf16).intoArray(dst, to + d);
            for (; d < headDim; d++) dst[to + d] = toFloat(src.get(I16, from + 2L * d), bf16);
        }
    }

    /** {@code out[d] += Σ_{i < n} p[pOff + i] · rows[i·headDim + d]}, one register accumulator per vector slice. */
    static void weightedSumRows(float[] p, int pOff, float[] rows, int n, float[] out, int outOff, int headDim) {
        int d = 0;
        int bound = S.loopBound(headDim);
        for (; d < bound; d += S.length()) {
            FloatVector acc = FloatVector.fromArray(S, out, outOff + d);
            for (int i = 0; i < n; i++) {
                acc = FloatVector.fromArray(S, rows, i * headDim + d).fma(FloatVector.broadcast(S, p[pOff + i]), acc);
            }
            acc.intoArray(out, outOff + d);
        }
        for (; d < headDim; d++) {
            float acc = out[outOff + d];
            for (int i = 0; i < n; i++) acc += p[pOff + i] * rows[i * headDim + d];
            out[outOff + d] = acc;
        }
    }

    static float toFloat(short bits, boolean bf16) {
        return bf16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
    }

    /**
     * Widens {@code S.length()} 16-bit values to floats. bfloat16 is the top half of a float. For half, the
     * exponent/mantissa bits shifted into float position read as a float 2^112 too small (the exponent biases
     * differ by 127 − 15), which the multiply fixes for normal and subnormal values alike; inf/NaN get the
     * all-ones float exponent explicitly.
     */
    static FloatVector load16(MemorySegment a, long byteOff, boolean bf16) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(H, a, byteOff, LE)
                .convertShape(VectorOperators.S2I, I, 0);
        if (bf16) return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        IntVector magnitude = h.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector bits = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        bits = bits.blend(shifted.or(0x7F800000), special);
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }
}
