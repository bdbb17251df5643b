package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Q4_0TiledTensor.TILE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer dot products of {@link Q4_0TiledTensor}'s tiles with tokens quantized by {@link ActivationQ8}: a vector
 * lane per row, so nothing is summed across lanes. Widening every 4-bit value to a float made decode bound by
 * unpacking rather than memory; here a 16-bit lane pair holds four values each, shifts sign-extend them in place
 * and one 16-bit multiply and add per four values accumulates them ({@code |Σ| ≤ 16 · 8 · 127} per lane and
 * block fits 16 bits). Per block the lane pairs are summed, converted to float and scaled by both scales.
 *
 * <p>Integer sums are exact, so up to the prefill path's token count a row's result does not depend on which
 * other tokens share the call (prefill sums the same products in float, a few ulps apart). Two tokens per pass
 * over a tile, the last one alone: per token, two-token passes measured 1.3× faster than one-token ones, while
 * three- and four-token passes were slower than either (and eight overran C2's inlining budget, boxing every
 * vector). Tiles go in cache groups, so a group's weights serve every token from cache. The kernels are generated
 * from one template per token count. {@link #dequantizeRows} serves the prefill path.
 */
final class Q4_0TileKernels {
    private Q4_0TileKernels() {}

    /** 16-bit lanes, two per tile row. */
    private static final VectorSpecies<Short> PAIRS = VectorSpecies.of(short.class, Simd.F.vectorShape());

    /** Tiles per cache group: their weights stay in L2 while every token group passes over them. */
    private static final int GROUP_TILES = 4;

    /**
     * Tiles {@code [tile0, tile1)} times {@code nTokens} quantized tokens (token t's pairs at
     * {@code pairs[pOff + t·cols/2 …]}, its scales at {@code xScales[sOff + t·cols/32 …]}) into
     * {@code out[outOff + t·stride + (tile − tile0)·TILE …]}.
     */
    static void dot(MemorySegment data, int cols, long scaleBase, int tile0, int tile1, int[] pairs, int pOff,
                    float[] xScales, int sOff, int nTokens, float[] out, int outOff, int stride) {
        int blocks = cols / Q4_0TiledTensor.BLOCK;
        int pStride = cols / 2, sStride = blocks;
        for (int g0 = tile0; g0 < tile1; g0 += GROUP_TILES) {
            int g1 = Math.min(tile1, g0 + GROUP_TILES);
            for (int t0 = 0; t0 < nTokens; t0 += 2) {
                int p = pOff + t0 * pStride, s = sOff + t0 * sStride;
                for (int tile = g0; tile < g1; tile++) {
                    long nibAt = (long) tile * blocks * 16 * TILE;
                    long scaleAt = scaleBase + (long) tile * blocks * 2 * TILE;
                    int o = outOff + t0 * stride + (tile - tile0) * TILE;
                    if (t0 + 1 < nTokens) {
                        tile2(data, blocks, nibAt, scaleAt, pairs, p, p + pStride, xScales, s, s + sStride, out, o,
                                stride);
                    } else {
                        tile1(data, blocks, nibAt, scaleAt, pairs, p, xScales, s, out, o);
                    }
                }
            }
        }
    }

    /**
     * The f16 row scales at {@code at}, times 2^-112: the half's sign, exponent and mantissa moved into float
     * position (sign extension fills bits 29–31, masked off but for the sign). Multiplying by 2^112 re-biases the
     * exponent and normalises subnormals exactly; callers fold that factor into their own scalar. Scales are
     * finite (infinities and NaNs are not kept distinct).
     */
    static FloatVector scales(MemorySegment data, long at) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(Simd.S, data, at, Layouts.LE)
                .convertShape(VectorOperators.S2I, Simd.I, 0);
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000).reinterpretAsFloats();
    }

    /** One tile × one token. */
    private static void tile1(MemorySegment data, int blocks, long nibAt, long scaleAt, int[] pairs, int p0,
                              float[] xScales, int s0, float[] out, int o) {
        FloatVector f0 = FloatVector.zero(Simd.F);
        for (int b = 0, k = 0; b < blocks; b++, k += 16, scaleAt += 2 * TILE) {
            ShortVector a0 = ShortVector.zero(PAIRS);
            for (int c = 0; c < 16; c += 4, nibAt += 4 * TILE) {
                ShortVector v = ShortVector.fromMemorySegment(PAIRS, data, nibAt, Layouts.LE);
                ShortVector n0 = v.lanewise(VectorOperators.LSHL, 12).lanewise(VectorOperators.ASHR, 12);
                ShortVector n1 = v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 12);
                ShortVector n2 = v.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 12);
                ShortVector n3 = v.lanewise(VectorOperators.ASHR, 12);
                a0 = a0.add(n0.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 0]).reinterpretAsShorts()));
                a0 = a0.add(n1.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 1]).reinterpretAsShorts()));
                a0 = a0.add(n2.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 2]).reinterpretAsShorts()));
                a0 = a0.add(n3.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 3]).reinterpretAsShorts()));
            }
            FloatVector d = scales(data, scaleAt);
            IntVector i;
            i = a0.reinterpretAsInts();
            f0 = ((FloatVector) i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(i.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .fma(d.mul(xScales[s0 + b] * 0x1p112f), f0);
        }
        f0.intoArray(out, o);
    }

    /** One tile × two tokens: each weight vector is unpacked once for both. */
    private static void tile2(MemorySegment data, int blocks, long nibAt, long scaleAt, int[] pairs, int p0, int p1,
                              float[] xScales, int s0, int s1, float[] out, int o, int stride) {
        FloatVector f0 = FloatVector.zero(Simd.F), f1 = f0;
        for (int b = 0, k = 0; b < blocks; b++, k += 16, scaleAt += 2 * TILE) {
            ShortVector a0 = ShortVector.zero(PAIRS), a1 = a0;
            for (int c = 0; c < 16; c += 4, nibAt += 4 * TILE) {
                ShortVector v = ShortVector.fromMemorySegment(PAIRS, data, nibAt, Layouts.LE);
                ShortVector n0 = v.lanewise(VectorOperators.LSHL, 12).lanewise(VectorOperators.ASHR, 12);
                ShortVector n1 = v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 12);
                ShortVector n2 = v.lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.ASHR, 12);
                ShortVector n3 = v.lanewise(VectorOperators.ASHR, 12);
                a0 = a0.add(n0.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 0]).reinterpretAsShorts()));
                a0 = a0.add(n1.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 1]).reinterpretAsShorts()));
                a0 = a0.add(n2.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 2]).reinterpretAsShorts()));
                a0 = a0.add(n3.mul(IntVector.broadcast(Simd.I, pairs[p0 + k + c + 3]).reinterpretAsShorts()));
                a1 = a1.add(n0.mul(IntVector.broadcast(Simd.I, pairs[p1 + k + c + 0]).reinterpretAsShorts()));
                a1 = a1.add(n1.mul(IntVector.broadcast(Simd.I, pairs[p1 + k + c + 1]).reinterpretAsShorts()));
                a1 = a1.add(n2.mul(IntVector.broadcast(Simd.I, pairs[p1 + k + c + 2]).reinterpretAsShorts()));
                a1 = a1.add(n3.mul(IntVector.broadcast(Simd.I, pairs[p1 + k + c + 3]).reinterpretAsShorts()));
            }
            FloatVector d = scales(data, scaleAt);
            IntVector i;
            i = a0.reinterpretAsInts();
            f0 = ((FloatVector) i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(i.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .fma(d.mul(xScales[s0 + b] * 0x1p112f), f0);
            i = a1.reinterpretAsInts();
            f1 = ((FloatVector) i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(i.lanewise(VectorOperators.ASHR, 16)).convert(VectorOperators.I2F, 0))
                    .fma(d.mul(xScales[s1 + b] * 0x1p112f), f1);
        }
        f0.intoArray(out, o);
        f1.intoArray(out, o + stride);
    }

    /** Left shifts that bring value {@code j = lane % 8} of an int's eight to the top nibble. */
    private static final IntVector NIBBLE_SHIFTS = IntVector.fromArray(Simd.I,
            java.util.stream.IntStream.range(0, Simd.L).map(lane -> 28 - 4 * (lane % 8)).toArray(), 0);
    /** Lanes of the second int in a 16-lane vector (none with 8 lanes). */
    private static final VectorMask<Integer> SECOND_INT = VectorMask.fromLong(Simd.I, Simd.L == 16 ? 0xFF00L : 0L);

    /** {@link Q4_0TiledTensor#dequantizeRows}: row {@code r} to {@code dst[off + (r − rowStart)·cols …]}. */
    static void dequantizeRows(MemorySegment data, int rows, int cols, int rowStart, int rowEnd, float[] dst,
                               int off) {
        int blocks = cols / Q4_0TiledTensor.BLOCK;
        long scaleBase = Q4_0TiledTensor.scaleBase(rows, blocks);
        int perVector = Simd.L / 8; // chunks (ints) per vector: 2 or 1
        for (int r = rowStart; r < rowEnd; r++, off += cols) {
            int tile = r / TILE, lane = r % TILE;
            for (int b = 0; b < blocks; b++) {
                long tb = (long) tile * blocks + b;
                float d = Float.float16ToFloat(data.get(Layouts.I16, scaleBase + (tb * TILE + lane) * 2));
                for (int c = 0; c < 4; c += perVector) {
                    long at = (tb * 4 + c) * 4 * TILE + 4L * lane;
                    IntVector v = IntVector.broadcast(Simd.I, data.get(Layouts.I32, at));
                    if (perVector == 2) v = v.blend(data.get(Layouts.I32, at + 4L * TILE), SECOND_INT);
                    ((FloatVector) v.lanewise(VectorOperators.LSHL, NIBBLE_SHIFTS).lanewise(VectorOperators.ASHR, 28)
                            .convert(VectorOperators.I2F, 0)).mul(d).intoArray(dst, off + 32 * b + 8 * c);
                }
            }
        }
    }
}
