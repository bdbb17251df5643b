package org.sglang4j.core.kernel;

import static org.sglang4j.core.tensor.Simd.F;
import static org.sglang4j.core.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Float micro-kernels of the batched matmul: 4 weight rows × T tokens ({@code T = 1…4}) of dot products over
 * {@code cols} values, each in its own vector accumulator (16 of them for 4×4), so every loaded weight vector
 * feeds T fused multiply-adds and every activation vector feeds 4. Weights come from the per-thread dequantized
 * chunk ({@code w[w0 + r*cols + c]}), activations from {@code x[x0 + t*cols + c]}; results go to
 * {@code out[o0 + t*oStride + r]} for the first {@code validRows} rows. Columns past the last whole vector (only
 * float formats have them) are added by a scalar {@link #tail}: masked vector loads are not compiled to
 * AVX-512 masked moves here and would box every vector.
 */
final class TileKernels {
    private TileKernels() {}

    static void rows4tokens4(float[] w, int w0, int cols, float[] x, int x0, float[] out, int o0, int oStride,
                             int validRows) {
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int bound = cols - cols % L;
        for (int c = 0; c < bound; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + c);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + c);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector u0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector u1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector u2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector u3 = FloatVector.fromArray(F, x, x3 + c);
            a00 = v0.fma(u0, a00);
            a10 = v1.fma(u0, a10);
            a20 = v2.fma(u0, a20);
            a30 = v3.fma(u0, a30);
            a01 = v0.fma(u1, a01);
            a11 = v1.fma(u1, a11);
            a21 = v2.fma(u1, a21);
            a31 = v3.fma(u1, a31);
            a02 = v0.fma(u2, a02);
            a12 = v1.fma(u2, a12);
            a22 = v2.fma(u2, a22);
            a32 = v3.fma(u2, a32);
            a03 = v0.fma(u3, a03);
            a13 = v1.fma(u3, a13);
            a23 = v2.fma(u3, a23);
            a33 = v3.fma(u3, a33);
        }
        store(out, o0 + 0 * oStride, validRows, a00, a10, a20, a30);
        store(out, o0 + 1 * oStride, validRows, a01, a11, a21, a31);
        store(out, o0 + 2 * oStride, validRows, a02, a12, a22, a32);
        store(out, o0 + 3 * oStride, validRows, a03, a13, a23, a33);
        if (bound < cols) tail(w, w0, cols, bound, x, x0, 4, out, o0, oStride, validRows);
    }

    static void rows4tokens3(float[] w, int w0, int cols, float[] x, int x0, float[] out, int o0, int oStride,
                             int validRows) {
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x1 = x0 + cols, x2 = x1 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00, a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
        int bound = cols - cols % L;
        for (int c = 0; c < bound; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + c);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + c);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector u0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector u1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector u2 = FloatVector.fromArray(F, x, x2 + c);
            a00 = v0.fma(u0, a00);
            a10 = v1.fma(u0, a10);
            a20 = v2.fma(u0, a20);
            a30 = v3.fma(u0, a30);
            a01 = v0.fma(u1, a01);
            a11 = v1.fma(u1, a11);
            a21 = v2.fma(u1, a21);
            a31 = v3.fma(u1, a31);
            a02 = v0.fma(u2, a02);
            a12 = v1.fma(u2, a12);
            a22 = v2.fma(u2, a22);
            a32 = v3.fma(u2, a32);
        }
        store(out, o0 + 0 * oStride, validRows, a00, a10, a20, a30);
        store(out, o0 + 1 * oStride, validRows, a01, a11, a21, a31);
        store(out, o0 + 2 * oStride, validRows, a02, a12, a22, a32);
        if (bound < cols) tail(w, w0, cols, bound, x, x0, 3, out, o0, oStride, validRows);
    }

    static void rows4tokens2(float[] w, int w0, int cols, float[] x, int x0, float[] out, int o0, int oStride,
                             int validRows) {
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x1 = x0 + cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        int bound = cols - cols % L;
        for (int c = 0; c < bound; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + c);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + c);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector u0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector u1 = FloatVector.fromArray(F, x, x1 + c);
            a00 = v0.fma(u0, a00);
            a10 = v1.fma(u0, a10);
            a20 = v2.fma(u0, a20);
            a30 = v3.fma(u0, a30);
            a01 = v0.fma(u1, a01);
            a11 = v1.fma(u1, a11);
            a21 = v2.fma(u1, a21);
            a31 = v3.fma(u1, a31);
        }
        store(out, o0 + 0 * oStride, validRows, a00, a10, a20, a30);
        store(out, o0 + 1 * oStride, validRows, a01, a11, a21, a31);
        if (bound < cols) tail(w, w0, cols, bound, x, x0, 2, out, o0, oStride, validRows);
    }

    static void rows4tokens1(float[] w, int w0, int cols, float[] x, int x0, float[] out, int o0, int oStride,
                             int validRows) {
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        FloatVector a00 = FloatVector.zero(F), a10 = a00, a20 = a00, a30 = a00;
        int bound = cols - cols % L;
        for (int c = 0; c < bound; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, w, w0 + c);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + c);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector u0 = FloatVector.fromArray(F, x, x0 + c);
            a00 = v0.fma(u0, a00);
            a10 = v1.fma(u0, a10);
            a20 = v2.fma(u0, a20);
            a30 = v3.fma(u0, a30);
        }
        store(out, o0 + 0 * oStride, validRows, a00, a10, a20, a30);
        if (bound < cols) tail(w, w0, cols, bound, x, x0, 1, out, o0, oStride, validRows);
    }

    private static void store(float[] out, int o, int validRows, FloatVector a0, FloatVector a1, FloatVector a2,
                              FloatVector a3) {
        out[o] = a0.reduceLanes(VectorOperators.ADD);
        if (validRows > 1) out[o + 1] = a1.reduceLanes(VectorOperators.ADD);
        if (validRows > 2) out[o + 2] = a2.reduceLanes(VectorOperators.ADD);
        if (validRows > 3) out[o + 3] = a3.reduceLanes(VectorOperators.ADD);
    }

    /** Adds the products of columns {@code [from, cols)} to the tile's outputs. */
    private static void tail(float[] w, int w0, int cols, int from, float[] x, int x0, int tokens, float[] out, int o0,
                             int oStride, int validRows) {
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < validRows; r++) {
                float sum = 0f;
                for (int c = from; c < cols; c++) sum += w[w0 + r * cols + c] * x[x0 + t * cols + c];
                out[o0 + t * oStride + r] += sum;
            }
        }
    }
}
