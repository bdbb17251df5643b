package org.sglang4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention of one query head over keys and values gathered through KV slots:
 * {@code out = Σ_i softmax(q·k_i · scale)_i · v_i} with {@code k_i, v_i} the rows of slot {@code slots[i]},
 * {@code i < len}. Cache rows are {@code kvDim} wide; the head's values start at {@code headOff} of each row, so
 * grouped-query heads share a K/V head by passing the same {@code headOff}. Caches hold float32, or IEEE half /
 * bfloat16 bit patterns converted in registers.
 */
public final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Same lane count as {@link #S}, half the bits: one 16-bit cache value per float lane. */
    private static final VectorSpecies<Short> H =
            VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

    private Attention() {}

    /** Float32 cache. {@code scores} needs {@code len} entries of scratch. */
    public static void attend(float[] q, int qOff, float[] keys, float[] values, int headOff, int kvDim,
                              int[] slots, int len, int headDim, float scale, float[] scores,
                              float[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            scores[i] = dot(q, qOff, keys, slots[i] * kvDim + headOff, headDim) * scale;
        }
        Softmax.inPlace(scores, 0, len);
        java.util.Arrays.fill(out, outOff, outOff + headDim, 0f);
        for (int i = 0; i < len; i++) {
            axpy(scores[i], values, slots[i] * kvDim + headOff, out, outOff, headDim);
        }
    }

    /** 16-bit cache: IEEE half when {@code bf16} is false, bfloat16 when true. */
    public static void attend(float[] q, int qOff, short[] keys, short[] values, boolean bf16, int headOff,
                              int kvDim, int[] slots, int len, int headDim, float scale, float[] scores,
                              float[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            scores[i] = dot16(q, qOff, keys, slots[i] * kvDim + headOff, headDim, bf16) * scale;
        }
        Softmax.inPlace(scores, 0, len);
        java.util.Arrays.fill(out, outOff, outOff + headDim, 0f);
        for (int i = 0; i < len; i++) {
            axpy16(scores[i], values, slots[i] * kvDim + headOff, out, outOff, headDim, bf16);
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

    static void axpy(float p, float[] v, int vOff, float[] out, int outOff, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector o = FloatVector.fromArray(S, out, outOff + i);
            FloatVector.fromArray(S, v, vOff + i).fma(FloatVector.broadcast(S, p), o).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] += p * v[vOff + i];
    }

    static float dot16(float[] a, int aOff, short[] b, int bOff, int n, boolean bf16) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(load16(b, bOff + i, bf16), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += a[aOff + i] * toFloat(b[bOff + i], bf16);
        return sum;
    }

    static void axpy16(float p, short[] v, int vOff, float[] out, int outOff, int n, boolean bf16) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            FloatVector o = FloatVector.fromArray(S, out, outOff + i);
            load16(v, vOff + i, bf16).fma(FloatVector.broadcast(S, p), o).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] += p * toFloat(v[vOff + i], bf16);
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
    static FloatVector load16(short[] a, int off, boolean bf16) {
        IntVector h = (IntVector) ShortVector.fromArray(H, a, off).convertShape(VectorOperators.S2I, I, 0);
        if (bf16) return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
        IntVector magnitude = h.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector bits = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        bits = bits.blend(shifted.or(0x7F800000), special);
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }
}
