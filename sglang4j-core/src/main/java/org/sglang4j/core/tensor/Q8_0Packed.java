package org.sglang4j.core.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The fused few-token kernels of {@link Q8_0Tensor}: rows × token slots of dot products with each weight vector
 * dequantized once in registers ({@code q · d}) for all slots. Generated from one template per slot count; see
 * {@link Tensor#dotRowsPacked} for the packed token layout.
 */
final class Q8_0Packed {
    private static final int BLOCK = 32;
    private static final int BYTES = 34;

    private Q8_0Packed() {}

    /**
     * {@link Tensor#dotRowsPacked} for rows {@code [rowStart, rowEnd)} of a matrix with {@code cols} columns.
     * Two and four slots take four rows at a time, eight slots three (24 accumulators): row i of each quarter
     * (third) of the range together, so several sequential streams far apart keep the hardware prefetchers busy,
     * and each loaded token vector feeds every row. Rows past the end repeat the last row and store the same values.
     */
    static void dotRows(MemorySegment data, int cols, int rowStart, int rowEnd, float[] packed, int pOff, int slots,
                        int nTokens, float[] out, int outOff, int outStride) {
        long rb = (long) cols / BLOCK * BYTES;
        int o = outOff - rowStart;
        int last = rowEnd - 1;
        if (slots == 8) {
            int third = (rowEnd - rowStart + 2) / 3;
            for (int a = rowStart; a < rowStart + third; a++) {
                int b = Math.min(a + third, last), c = Math.min(a + 2 * third, last);
                tile3x8(data, cols, a * rb, b * rb, c * rb, packed, pOff, out, outStride, o + a, o + b, o + c, nTokens);
            }
            return;
        }
        int quarter = (rowEnd - rowStart + 3) / 4;
        for (int a = rowStart; a < rowStart + quarter; a++) {
            int b = Math.min(a + quarter, last), c = Math.min(a + 2 * quarter, last), d = Math.min(a + 3 * quarter, last);
            if (slots == 2) {
                tile4x2(data, cols, a * rb, b * rb, c * rb, d * rb, packed, pOff, out, outStride, o + a, o + b, o + c, o + d,
                        nTokens);
            } else {
                tile4x4(data, cols, a * rb, b * rb, c * rb, d * rb, packed, pOff, out, outStride, o + a, o + b, o + c, o + d,
                        nTokens);
            }
        }
    }

    private static void tile4x2(MemorySegment data, int cols, long oa, long ob, long oc, long od, float[] x, int x0,
                                float[] out, int stride, int ia, int ib, int ic, int id, int nTokens) {
        FloatVector z = FloatVector.zero(Simd.F);
        FloatVector a0 = z, a1 = z;
        FloatVector b0 = z, b1 = z;
        FloatVector c0 = z, c1 = z;
        FloatVector d0 = z, d1 = z;
        for (int col = 0, xi = x0; col < cols; col += Simd.L, xi += 2 * Simd.L) {
            long blk = (long) (col / BLOCK) * BYTES;
            int in = 2 + col % BLOCK;
            FloatVector va = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oa + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, oa + blk));
            FloatVector vb = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, ob + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, ob + blk));
            FloatVector vc = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oc + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, oc + blk));
            FloatVector vd = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, od + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, od + blk));
            FloatVector u;
            u = FloatVector.fromArray(Simd.F, x, xi + 0 * Simd.L);
            a0 = va.fma(u, a0);
            b0 = vb.fma(u, b0);
            c0 = vc.fma(u, c0);
            d0 = vd.fma(u, d0);
            u = FloatVector.fromArray(Simd.F, x, xi + 1 * Simd.L);
            a1 = va.fma(u, a1);
            b1 = vb.fma(u, b1);
            c1 = vc.fma(u, c1);
            d1 = vd.fma(u, d1);
        }
        // Reductions written out inline: a helper taking vectors may not be inlined this late in a big method.
        out[ia] = a0.reduceLanes(VectorOperators.ADD);
        out[ib] = b0.reduceLanes(VectorOperators.ADD);
        out[ic] = c0.reduceLanes(VectorOperators.ADD);
        out[id] = d0.reduceLanes(VectorOperators.ADD);
        if (nTokens > 1) {
            out[ia + 1 * stride] = a1.reduceLanes(VectorOperators.ADD);
            out[ib + 1 * stride] = b1.reduceLanes(VectorOperators.ADD);
            out[ic + 1 * stride] = c1.reduceLanes(VectorOperators.ADD);
            out[id + 1 * stride] = d1.reduceLanes(VectorOperators.ADD);
        }
    }

    private static void tile4x4(MemorySegment data, int cols, long oa, long ob, long oc, long od, float[] x, int x0,
                                float[] out, int stride, int ia, int ib, int ic, int id, int nTokens) {
        FloatVector z = FloatVector.zero(Simd.F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z;
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        FloatVector d0 = z, d1 = z, d2 = z, d3 = z;
        for (int col = 0, xi = x0; col < cols; col += Simd.L, xi += 4 * Simd.L) {
            long blk = (long) (col / BLOCK) * BYTES;
            int in = 2 + col % BLOCK;
            FloatVector va = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oa + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, oa + blk));
            FloatVector vb = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, ob + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, ob + blk));
            FloatVector vc = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oc + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, oc + blk));
            FloatVector vd = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, od + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, od + blk));
            FloatVector u;
            u = FloatVector.fromArray(Simd.F, x, xi + 0 * Simd.L);
            a0 = va.fma(u, a0);
            b0 = vb.fma(u, b0);
            c0 = vc.fma(u, c0);
            d0 = vd.fma(u, d0);
            u = FloatVector.fromArray(Simd.F, x, xi + 1 * Simd.L);
            a1 = va.fma(u, a1);
            b1 = vb.fma(u, b1);
            c1 = vc.fma(u, c1);
            d1 = vd.fma(u, d1);
            u = FloatVector.fromArray(Simd.F, x, xi + 2 * Simd.L);
            a2 = va.fma(u, a2);
            b2 = vb.fma(u, b2);
            c2 = vc.fma(u, c2);
            d2 = vd.fma(u, d2);
            u = FloatVector.fromArray(Simd.F, x, xi + 3 * Simd.L);
            a3 = va.fma(u, a3);
            b3 = vb.fma(u, b3);
            c3 = vc.fma(u, c3);
            d3 = vd.fma(u, d3);
        }
        // Reductions written out inline: a helper taking vectors may not be inlined this late in a big method.
        out[ia] = a0.reduceLanes(VectorOperators.ADD);
        out[ib] = b0.reduceLanes(VectorOperators.ADD);
        out[ic] = c0.reduceLanes(VectorOperators.ADD);
        out[id] = d0.reduceLanes(VectorOperators.ADD);
        if (nTokens > 1) {
            out[ia + 1 * stride] = a1.reduceLanes(VectorOperators.ADD);
            out[ib + 1 * stride] = b1.reduceLanes(VectorOperators.ADD);
            out[ic + 1 * stride] = c1.reduceLanes(VectorOperators.ADD);
            out[id + 1 * stride] = d1.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 2) {
            out[ia + 2 * stride] = a2.reduceLanes(VectorOperators.ADD);
            out[ib + 2 * stride] = b2.reduceLanes(VectorOperators.ADD);
            out[ic + 2 * stride] = c2.reduceLanes(VectorOperators.ADD);
            out[id + 2 * stride] = d2.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 3) {
            out[ia + 3 * stride] = a3.reduceLanes(VectorOperators.ADD);
            out[ib + 3 * stride] = b3.reduceLanes(VectorOperators.ADD);
            out[ic + 3 * stride] = c3.reduceLanes(VectorOperators.ADD);
            out[id + 3 * stride] = d3.reduceLanes(VectorOperators.ADD);
        }
    }

    private static void tile3x8(MemorySegment data, int cols, long oa, long ob, long oc, float[] x, int x0,
                                float[] out, int stride, int ia, int ib, int ic, int nTokens) {
        FloatVector z = FloatVector.zero(Simd.F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int col = 0, xi = x0; col < cols; col += Simd.L, xi += 8 * Simd.L) {
            long blk = (long) (col / BLOCK) * BYTES;
            int in = 2 + col % BLOCK;
            FloatVector va = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oa + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, oa + blk));
            FloatVector vb = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, ob + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, ob + blk));
            FloatVector vc = Simd.toFloat(ByteVector.fromMemorySegment(Simd.B, data, oc + blk + in, Layouts.LE))
                    .mul(Layouts.half(data, oc + blk));
            FloatVector u;
            u = FloatVector.fromArray(Simd.F, x, xi + 0 * Simd.L);
            a0 = va.fma(u, a0);
            b0 = vb.fma(u, b0);
            c0 = vc.fma(u, c0);
            u = FloatVector.fromArray(Simd.F, x, xi + 1 * Simd.L);
            a1 = va.fma(u, a1);
            b1 = vb.fma(u, b1);
            c1 = vc.fma(u, c1);
            u = FloatVector.fromArray(Simd.F, x, xi + 2 * Simd.L);
            a2 = va.fma(u, a2);
            b2 = vb.fma(u, b2);
            c2 = vc.fma(u, c2);
            u = FloatVector.fromArray(Simd.F, x, xi + 3 * Simd.L);
            a3 = va.fma(u, a3);
            b3 = vb.fma(u, b3);
            c3 = vc.fma(u, c3);
            u = FloatVector.fromArray(Simd.F, x, xi + 4 * Simd.L);
            a4 = va.fma(u, a4);
            b4 = vb.fma(u, b4);
            c4 = vc.fma(u, c4);
            u = FloatVector.fromArray(Simd.F, x, xi + 5 * Simd.L);
            a5 = va.fma(u, a5);
            b5 = vb.fma(u, b5);
            c5 = vc.fma(u, c5);
            u = FloatVector.fromArray(Simd.F, x, xi + 6 * Simd.L);
            a6 = va.fma(u, a6);
            b6 = vb.fma(u, b6);
            c6 = vc.fma(u, c6);
            u = FloatVector.fromArray(Simd.F, x, xi + 7 * Simd.L);
            a7 = va.fma(u, a7);
            b7 = vb.fma(u, b7);
            c7 = vc.fma(u, c7);
        }
        // Reductions written out inline: a helper taking vectors may not be inlined this late in a big method.
        out[ia] = a0.reduceLanes(VectorOperators.ADD);
        out[ib] = b0.reduceLanes(VectorOperators.ADD);
        out[ic] = c0.reduceLanes(VectorOperators.ADD);
        if (nTokens > 1) {
            out[ia + 1 * stride] = a1.reduceLanes(VectorOperators.ADD);
            out[ib + 1 * stride] = b1.reduceLanes(VectorOperators.ADD);
            out[ic + 1 * stride] = c1.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 2) {
            out[ia + 2 * stride] = a2.reduceLanes(VectorOperators.ADD);
            out[ib + 2 * stride] = b2.reduceLanes(VectorOperators.ADD);
            out[ic + 2 * stride] = c2.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 3) {
            out[ia + 3 * stride] = a3.reduceLanes(VectorOperators.ADD);
            out[ib + 3 * stride] = b3.reduceLanes(VectorOperators.ADD);
            out[ic + 3 * stride] = c3.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 4) {
            out[ia + 4 * stride] = a4.reduceLanes(VectorOperators.ADD);
            out[ib + 4 * stride] = b4.reduceLanes(VectorOperators.ADD);
            out[ic + 4 * stride] = c4.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 5) {
            out[ia + 5 * stride] = a5.reduceLanes(VectorOperators.ADD);
            out[ib + 5 * stride] = b5.reduceLanes(VectorOperators.ADD);
            out[ic + 5 * stride] = c5.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 6) {
            out[ia + 6 * stride] = a6.reduceLanes(VectorOperators.ADD);
            out[ib + 6 * stride] = b6.reduceLanes(VectorOperators.ADD);
            out[ic + 6 * stride] = c6.reduceLanes(VectorOperators.ADD);
        }
        if (nTokens > 7) {
            out[ia + 7 * stride] = a7.reduceLanes(VectorOperators.ADD);
            out[ib + 7 * stride] = b7.reduceLanes(VectorOperators.ADD);
            out[ic + 7 * stride] = c7.reduceLanes(VectorOperators.ADD);
        }
    }
}
