package org.sglang4j.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The attention kernel against a direct double-precision formula, for each cache element type. */
class AttentionTest {
    private static final SplittableRandom RND = new SplittableRandom(42);

    @Test
    void float32CacheMatchesDirectFormulaForEveryHeadSize() {
        for (int headDim : new int[] {8, 16, 40, 64, 128}) {
            int kvDim = 3 * headDim;
            int capacity = 50;
            float[] keys = gaussian(capacity * kvDim);
            float[] values = gaussian(capacity * kvDim);
            float[] q = gaussian(headDim);
            int[] slots = {7, 3, 49, 0, 12, 12, 30}; // any order, repeats allowed
            for (int len = 1; len <= slots.length; len++) {
                float[] out = new float[headDim + 5];
                Attention.attend(q, 0, 1, seg(keys), seg(values), headDim, kvDim, slots, len, headDim, 0.3f, new float[len], out, 5);
                double[] expected = direct(q, 0, toDouble(keys), toDouble(values), headDim, kvDim, slots, len, headDim, 0.3);
                for (int d = 0; d < headDim; d++) assertThat((double) out[5 + d]).isCloseTo(expected[d], within(1e-5));
            }
        }
    }

    /**
     * The same operations in the same order give the same floats, except that softmax's vector exp is a JIT
     * intrinsic whose interpreted fallback can differ by an ulp while a method is still warming up.
     */
    private static final float SAME_OPERATIONS = 1e-6f;

    /**
     * An extend's tokens attended together give each token its own attention: runs that start inside,
     * at and across 64-row block boundaries, two query heads per token, the output written over the queries.
     */
    @Test
    void tokensOfOneSequenceTogetherMatchEachAlone() {
        int headDim = 64, nHeads = 2, kvDim = 2 * headDim, capacity = 200;
        int[] slots = new int[capacity];
        for (int i = 0; i < capacity; i++) slots[i] = (i * 37) % capacity;
        for (boolean bf16 : new boolean[] {false, true}) {
            short[] k16 = new short[capacity * kvDim], v16 = new short[capacity * kvDim];
            for (int i = 0; i < k16.length; i++) {
                k16[i] = bf16 ? bf16((float) RND.nextGaussian()) : Float.floatToFloat16((float) RND.nextGaussian());
                v16[i] = bf16 ? bf16((float) RND.nextGaussian()) : Float.floatToFloat16((float) RND.nextGaussian());
            }
            for (int len0 : new int[] {1, 5, 63, 64, 65, 120}) {
                for (int nTokens : new int[] {1, 2, 7, 9}) {
                    int qStride = 3 * headDim; // other heads of each token sit beside the two attended here
                    float[] q = gaussian(nTokens * qStride);
                    float[] alone = new float[q.length];
                    for (int i = 0; i < nTokens; i++) {
                        Attention.attend(q, i * qStride + headDim, nHeads, seg(k16), seg(v16), bf16, headDim, kvDim, slots,
                                len0 + i, headDim, 0.125f, new float[nHeads * (len0 + i)], alone,
                                i * qStride + headDim);
                    }
                    float[] together = q.clone();
                    Attention.attendTokens(together, headDim, qStride, nTokens, nHeads, seg(k16), seg(v16), bf16, headDim, kvDim,
                            slots, len0, headDim, 0.125f, new float[nTokens * nHeads * (len0 + nTokens - 1)], together,
                            headDim);
                    for (int i = 0; i < nTokens; i++) {
                        int from = i * qStride + headDim, to = from + nHeads * headDim;
                        for (int d = from; d < to; d++) {
                            assertThat(together[d]).as("bf16=%b len0=%d nTokens=%d token %d", bf16, len0, nTokens, i)
                                    .isCloseTo(alone[d], within(SAME_OPERATIONS));
                        }
                        // The head outside the call keeps its query values.
                        assertThat(together[i * qStride]).isEqualTo(q[i * qStride]);
                    }
                }
            }
        }
    }

    /** As {@link #tokensOfOneSequenceTogetherMatchEachAlone} for a float32 cache. */
    @Test
    void float32TokensTogetherMatchEachAlone() {
        int headDim = 64, nHeads = 2, kvDim = 2 * headDim, capacity = 150;
        int[] slots = new int[capacity];
        for (int i = 0; i < capacity; i++) slots[i] = (i * 41) % capacity;
        var keys = seg(gaussian(capacity * kvDim));
        var values = seg(gaussian(capacity * kvDim));
        for (int len0 : new int[] {1, 63, 64, 100}) {
            int nTokens = 9, qStride = 2 * headDim;
            float[] q = gaussian(nTokens * qStride);
            float[] alone = new float[q.length];
            for (int i = 0; i < nTokens; i++) {
                Attention.attend(q, i * qStride, nHeads, keys, values, 0, kvDim, slots, len0 + i, headDim, 0.125f,
                        new float[nHeads * (len0 + i)], alone, i * qStride);
            }
            float[] together = q.clone();
            Attention.attendTokens(together, 0, qStride, nTokens, nHeads, keys, values, 0, kvDim, slots, len0, headDim,
                    0.125f, new float[nTokens * nHeads * (len0 + nTokens - 1)], together, 0);
            for (int d = 0; d < q.length; d++) {
                assertThat(together[d]).as("len0=%d", len0).isCloseTo(alone[d], within(SAME_OPERATIONS));
            }
        }
    }

    /**
     * A whole extend of a 7-head GQA group (Qwen2.5's shape: the heads go in passes of two and four, so the last
     * pass repeats a head) over several position blocks: every token and head against the direct formula.
     */
    @Test
    void extendOfASevenHeadGroupMatchesTheDirectFormula() {
        int headDim = 64, nHeads = 7, kvDim = 2 * headDim, len0 = 100, nTokens = 26, capacity = 160;
        int[] slots = new int[capacity];
        for (int i = 0; i < capacity; i++) slots[i] = (i * 53) % capacity;
        short[] k16 = new short[capacity * kvDim], v16 = new short[capacity * kvDim];
        double[] kd = new double[k16.length], vd = new double[v16.length];
        for (int i = 0; i < k16.length; i++) {
            k16[i] = Float.floatToFloat16((float) RND.nextGaussian());
            v16[i] = Float.floatToFloat16((float) RND.nextGaussian());
            kd[i] = Float.float16ToFloat(k16[i]);
            vd[i] = Float.float16ToFloat(v16[i]);
        }
        int qStride = 2 * nHeads * headDim;
        float[] q = gaussian(nTokens * qStride);
        float[] out = new float[q.length];
        Attention.attendTokens(q, headDim, qStride, nTokens, nHeads, seg(k16), seg(v16), false, headDim, kvDim, slots,
                len0, headDim, 0.125f, new float[nTokens * nHeads * (len0 + nTokens - 1)], out, headDim);
        for (int i = 0; i < nTokens; i++) {
            for (int h = 0; h < nHeads; h++) {
                int off = headDim + i * qStride + h * headDim;
                double[] expected = direct(q, off, kd, vd, headDim, kvDim, slots, len0 + i, headDim, 0.125);
                for (int d = 0; d < headDim; d++) {
                    assertThat((double) out[off + d]).as("token %d head %d", i, h).isCloseTo(expected[d], within(1e-5));
                }
            }
        }
    }

    @Test
    void halfAndBfloat16CachesAreReadExactly() {
        int headDim = 48;
        int kvDim = 2 * headDim;
        int capacity = 20;
        float[] keys = gaussian(capacity * kvDim);
        float[] values = gaussian(capacity * kvDim);
        float[] q = gaussian(headDim);
        int[] slots = {19, 2, 5, 11, 0};
        for (boolean bf16 : new boolean[] {false, true}) {
            short[] k16 = new short[keys.length];
            short[] v16 = new short[values.length];
            double[] kd = new double[keys.length];
            double[] vd = new double[values.length];
            for (int i = 0; i < keys.length; i++) {
                k16[i] = bf16 ? bf16(keys[i]) : Float.floatToFloat16(keys[i]);
                v16[i] = bf16 ? bf16(values[i]) : Float.floatToFloat16(values[i]);
                kd[i] = bf16 ? Float.intBitsToFloat(k16[i] << 16) : Float.float16ToFloat(k16[i]);
                vd[i] = bf16 ? Float.intBitsToFloat(v16[i] << 16) : Float.float16ToFloat(v16[i]);
            }
            float[] out = new float[headDim];
            Attention.attend(q, 0, 1, seg(k16), seg(v16), bf16, 0, kvDim, slots, slots.length, headDim, 0.25f,
                    new float[slots.length], out, 0);
            double[] expected = direct(q, 0, kd, vd, 0, kvDim, slots, slots.length, headDim, 0.25);
            for (int d = 0; d < headDim; d++) assertThat((double) out[d]).isCloseTo(expected[d], within(1e-5));
        }
    }

    @Test
    void groupedHeadsEachMatchTheDirectFormulaOverLongSequences() {
        int headDim = 64;
        int kvDim = 2 * headDim;
        int len = 300; // several position blocks
        int heads = 5;
        float[] keys = gaussian(len * kvDim);
        float[] values = gaussian(len * kvDim);
        float[] q = gaussian(heads * headDim);
        int[] slots = new int[len];
        for (int i = 0; i < len; i++) slots[i] = (i * 7) % len;
        short[] k16 = new short[keys.length];
        short[] v16 = new short[values.length];
        double[] kd = new double[keys.length];
        double[] vd = new double[values.length];
        for (int i = 0; i < keys.length; i++) {
            k16[i] = Float.floatToFloat16(keys[i]);
            v16[i] = Float.floatToFloat16(values[i]);
            kd[i] = Float.float16ToFloat(k16[i]);
            vd[i] = Float.float16ToFloat(v16[i]);
        }
        float[] out32 = new float[heads * headDim];
        float[] out16 = new float[heads * headDim];
        Attention.attend(q, 0, heads, seg(keys), seg(values), headDim, kvDim, slots, len, headDim, 0.125f,
                new float[heads * len], out32, 0);
        Attention.attend(q, 0, heads, seg(k16), seg(v16), false, headDim, kvDim, slots, len, headDim, 0.125f,
                new float[heads * len], out16, 0);
        for (int h = 0; h < heads; h++) {
            double[] e32 = direct(q, h * headDim, toDouble(keys), toDouble(values), headDim, kvDim, slots, len, headDim, 0.125);
            double[] e16 = direct(q, h * headDim, kd, vd, headDim, kvDim, slots, len, headDim, 0.125);
            for (int d = 0; d < headDim; d++) {
                assertThat((double) out32[h * headDim + d]).isCloseTo(e32[d], within(1e-5));
                assertThat((double) out16[h * headDim + d]).isCloseTo(e16[d], within(1e-5));
            }
        }
    }

    @Test
    void outputMayOverwriteTheQueriesItWasComputedFrom() {
        int headDim = 64;
        int kvDim = 2 * headDim;
        int len = 150;
        int heads = 3;
        float[] keys = gaussian(len * kvDim);
        float[] values = gaussian(len * kvDim);
        short[] k16 = new short[keys.length];
        short[] v16 = new short[values.length];
        for (int i = 0; i < keys.length; i++) {
            k16[i] = Float.floatToFloat16(keys[i]);
            v16[i] = Float.floatToFloat16(values[i]);
        }
        int[] slots = new int[len];
        for (int i = 0; i < len; i++) slots[i] = len - 1 - i;
        float[] q = gaussian(7 + heads * headDim);
        for (boolean half : new boolean[] {false, true}) {
            float[] separate = new float[heads * headDim];
            float[] shared = q.clone(); // the output replaces the queries in place, as ForwardState's q = att
            if (half) {
                Attention.attend(q, 7, heads, seg(k16), seg(v16), false, headDim, kvDim, slots, len, headDim, 0.125f,
                        new float[heads * len], separate, 0);
                Attention.attend(shared, 7, heads, seg(k16), seg(v16), false, headDim, kvDim, slots, len, headDim,
                        0.125f, new float[heads * len], shared, 7);
            } else {
                Attention.attend(q, 7, heads, seg(keys), seg(values), headDim, kvDim, slots, len, headDim, 0.125f,
                        new float[heads * len], separate, 0);
                Attention.attend(shared, 7, heads, seg(keys), seg(values), headDim, kvDim, slots, len, headDim, 0.125f,
                        new float[heads * len], shared, 7);
            }
            assertThat(java.util.Arrays.copyOfRange(shared, 7, shared.length)).containsExactly(separate);
            assertThat(java.util.Arrays.copyOfRange(shared, 0, 7)).containsExactly(java.util.Arrays.copyOf(q, 7));
        }
    }

    @Test
    void vectorHalfConversionIsExactForEveryBitPattern() {
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        float[] lane = new float[lanes];
        MemorySegment allSeg = seg(all);
        for (int off = 0; off < all.length; off += lanes) {
            for (boolean bf16 : new boolean[] {false, true}) {
                Attention.load16(allSeg, 2L * off, bf16).intoArray(lane, 0);
                for (int j = 0; j < lanes; j++) {
                    short bits = all[off + j];
                    float expected = bf16 ? Float.intBitsToFloat(bits << 16) : Float.float16ToFloat(bits);
                    if (Float.isNaN(expected)) {
                        assertThat(lane[j]).as("bits %04x", bits & 0xFFFF).isNaN();
                    } else {
                        assertThat(Float.floatToRawIntBits(lane[j])).as("bits %04x bf16=%s", bits & 0xFFFF, bf16)
                                .isEqualTo(Float.floatToRawIntBits(expected));
                    }
                }
            }
        }
    }

    private static double[] direct(float[] q, int qOff, double[] keys, double[] values, int headOff, int kvDim, int[] slots,
                                   int len, int headDim, double scale) {
        double[] scores = new double[len];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            double s = 0;
            for (int d = 0; d < headDim; d++) s += q[qOff + d] * keys[slots[i] * kvDim + headOff + d];
            scores[i] = s * scale;
            max = Math.max(max, scores[i]);
        }
        double sum = 0;
        for (int i = 0; i < len; i++) sum += scores[i] = Math.exp(scores[i] - max);
        double[] out = new double[headDim];
        for (int i = 0; i < len; i++) {
            for (int d = 0; d < headDim; d++) out[d] += scores[i] / sum * values[slots[i] * kvDim + headOff + d];
        }
        return out;
    }

    /** Little-endian off-heap copies, as the KV cache stores its rows. */
    static MemorySegment seg(float[] x) {
        MemorySegment s = Arena.ofAuto().allocate(4L * x.length);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, x.length);
        return s;
    }

    static MemorySegment seg(short[] x) {
        MemorySegment s = Arena.ofAuto().allocate(2L * x.length);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, x.length);
        return s;
    }

    private static short bf16(float f) {
        return (short) ((Float.floatToRawIntBits(f) + 0x8000) >>> 16);
    }

    static float[] gaussian(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) RND.nextGaussian();
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }
}
