package org.sglang4j.core.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API species every kernel uses, chosen once. {@link #F} is the preferred float species (512-bit,
 * 16 lanes, on AVX-512 machines); the byte, short and int species have the same lane count, so one quantized
 * byte widens to one float lane. The tuning knob {@code -Dsglang4j.vectorBits=256} forces 8-lane vectors; below
 * 256 bits the kernels use their scalar paths ({@link #ENABLED} is false).
 */
public final class Simd {
    private Simd() {}

    public static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(Math.min(Integer.getInteger("sglang4j.vectorBits", 512),
                    FloatVector.SPECIES_PREFERRED.vectorBitSize())));
    /** Float lanes per vector: 16 with AVX-512, 8 with AVX2. */
    public static final int L = F.length();
    /** Vector paths need at least 8 float lanes (a byte vector of L lanes must be 64 bits or more). */
    public static final boolean ENABLED = L >= 8;
    public static final VectorSpecies<Integer> I = F.withLanes(int.class);
    static final VectorSpecies<Byte> B = ENABLED ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    static final VectorSpecies<Short> S = ENABLED ? VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16)) : null;

    /** Signed bytes to float lanes. */
    static FloatVector toFloat(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
    }

    /**
     * Shifts every byte right by {@code n} as 16-bit lanes (x86 has no byte shift, and the Vector API's byte
     * shift expands to several instructions). Bits of the neighbouring byte land in each byte's top {@code n}
     * bits, so callers mask the result.
     */
    static ByteVector shiftRight(ByteVector b, int n) {
        return b.reinterpretAsShorts().lanewise(VectorOperators.LSHR, n).reinterpretAsBytes();
    }

    /** As {@link #shiftRight}, to the left: only for byte values below {@code 256 >> n} (nothing crosses bytes). */
    static ByteVector shiftLeft(ByteVector b, int n) {
        return b.reinterpretAsShorts().lanewise(VectorOperators.LSHL, n).reinterpretAsBytes();
    }

    /** bfloat16 bit patterns (the upper half of a float32) to floats. */
    static FloatVector bf16ToFloat(ShortVector s) {
        IntVector i = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /**
     * IEEE half bit patterns to floats, exact for every input (zeros, subnormals, normals, infinities, NaN
     * payloads), matching {@link Float#float16ToFloat}. Shifting exponent and mantissa into float position and
     * multiplying by 2^112 re-biases the exponent (15 → 127) and normalises subnormals in one exact step.
     */
    static FloatVector f16ToFloat(ShortVector s) {
        IntVector h = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector em = h.and(0x7fff);
        IntVector shifted = em.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> special = em.compare(VectorOperators.GE, 0x7c00);
        return finite.blend(shifted.or(0x7f800000), special).or(sign).reinterpretAsFloats();
    }
}
