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

    /** Positions per block: a block of K or V rows of one head stays in L1/L2 while every head of the group uses it. */
    private static final int BLOCK = 64;

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
     */
    private static void attendRuns(int format, float[] q, int qOff, int qStride, int nTokens, int nHeads,
                                   MemorySegment keys, MemorySegment values, long rowBytes, long headBytes,
                                   int[] slots, int len0, int headDim, float scale, float[] scores, float[] out,
                                   int outOff) {
        float[] block = blockScratch(headDim);
        int maxLen = len0 + nTokens - 1;
        for (int b0 = 0; b0 < maxLen; b0 += BLOCK) {
            int b1 = Math.min(maxLen, b0 + BLOCK);
            loadRows(format, keys, slots, b0, b1, rowBytes, headBytes, headDim, block);
            // Token i sees len0 + i rows: it has rows in this block once len0 + i > b0.
            for (int i = Math.max(0, b0 - len0 + 1); i < nTokens; i++) {
                int end = Math.min(b1, len0 + i);
                for (int j = 0; j < nHeads; j++) {
                    int qj = qOff + i * qStride + j * headDim;
                    int sj = (i * nHeads + j) * maxLen;
                    for (int p = b0; p < end; p++) scores[sj + p] = dot(q, qj, block, (p - b0) * headDim, headDim) * scale;
                }
            }
        }
        for (int i = 0; i < nTokens; i++) {
            for (int j = 0; j < nHeads; j++) Softmax.inPlace(scores, (i * nHeads + j) * maxLen, len0 + i);
            java.util.Arrays.fill(out, outOff + i * qStride, outOff + i * qStride + nHeads * headDim, 0f);
        }
        for (int b0 = 0; b0 < maxLen; b0 += BLOCK) {
            int b1 = Math.min(maxLen, b0 + BLOCK);
            loadRows(format, values, slots, b0, b1, rowBytes, headBytes, headDim, block);
            for (int i = Math.max(0, b0 - len0 + 1); i < nTokens; i++) {
                int end = Math.min(b1, len0 + i);
                for (int j = 0; j < nHeads; j++) {
                    weightedSumRows(scores, (i * nHeads + j) * maxLen + b0, block, end - b0, out,
                            outOff + i * qStride + j * headDim, headDim);
                }
            }
        }
    }

    private static final ThreadLocal<float[][]> BLOCK_SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    /** This thread's scratch for one block of rows as floats, grown on first use and then reused. */
    private static float[] blockScratch(int headDim) {
        float[][] holder = BLOCK_SCRATCH.get();
        if (holder[0].length < BLOCK * headDim) holder[0] = new float[BLOCK * headDim];
        return holder[0];
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

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
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
