package org.sglang4j.core.kernel;

import static org.sglang4j.core.tensor.Simd.F;
import static org.sglang4j.core.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Float micro-kernels of the batched matmul: 4 weight rows × T tokens ({@code T = 2…4}) of dot products over
 * {@code cols} values, each in its own vector accumulator (16 of them for 4×4), so every loaded weight vector
 * feeds T fused multiply-adds and every activation vector feeds 4. Weights come from a dequantized panel, four
 * rows back to back ({@code w[w0 + k*cols + c]}, {@code k < 4}), activations from {@code x[x0 + t*cols + c]};
 * the result of panel row {@code k} and token {@code t} goes to {@code out[t*oStride + o_k]} with
 * {@code o_k ∈ {oa, ob, oc, od}}, so the four rows may come from anywhere in the matrix. A row may appear twice
 * (the last group of a range repeats its last row): it then gets the same value twice. Columns past the last
 * whole vector (only float formats have them) are added by a scalar {@link #tail}: masked vector loads are not
 * compiled to AVX-512 masked moves here and would box every vector.
 */
final class TileKernels {
    private TileKernels() {}

    static void rows4tokens4(float[] w, int w0, int cols, float[] x, int x0, float[] out, int oStride, int oa,
                             int ob, int oc, int od) {
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
        out[oa] = a00.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, bound, cols);
        out[ob] = a10.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x0, bound, cols);
        out[oc] = a20.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x0, bound, cols);
        out[od] = a30.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x0, bound, cols);
        out[oa + 1 * oStride] = a01.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x1, bound, cols);
        out[ob + 1 * oStride] = a11.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x1, bound, cols);
        out[oc + 1 * oStride] = a21.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x1, bound, cols);
        out[od + 1 * oStride] = a31.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x1, bound, cols);
        out[oa + 2 * oStride] = a02.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x2, bound, cols);
        out[ob + 2 * oStride] = a12.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x2, bound, cols);
        out[oc + 2 * oStride] = a22.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x2, bound, cols);
        out[od + 2 * oStride] = a32.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x2, bound, cols);
        out[oa + 3 * oStride] = a03.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x3, bound, cols);
        out[ob + 3 * oStride] = a13.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x3, bound, cols);
        out[oc + 3 * oStride] = a23.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x3, bound, cols);
        out[od + 3 * oStride] = a33.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x3, bound, cols);
    }

    static void rows4tokens3(float[] w, int w0, int cols, float[] x, int x0, float[] out, int oStride, int oa,
                             int ob, int oc, int od) {
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
        out[oa] = a00.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, bound, cols);
        out[ob] = a10.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x0, bound, cols);
        out[oc] = a20.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x0, bound, cols);
        out[od] = a30.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x0, bound, cols);
        out[oa + 1 * oStride] = a01.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x1, bound, cols);
        out[ob + 1 * oStride] = a11.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x1, bound, cols);
        out[oc + 1 * oStride] = a21.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x1, bound, cols);
        out[od + 1 * oStride] = a31.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x1, bound, cols);
        out[oa + 2 * oStride] = a02.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x2, bound, cols);
        out[ob + 2 * oStride] = a12.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x2, bound, cols);
        out[oc + 2 * oStride] = a22.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x2, bound, cols);
        out[od + 2 * oStride] = a32.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x2, bound, cols);
    }

    static void rows4tokens2(float[] w, int w0, int cols, float[] x, int x0, float[] out, int oStride, int oa,
                             int ob, int oc, int od) {
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
        out[oa] = a00.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x0, bound, cols);
        out[ob] = a10.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x0, bound, cols);
        out[oc] = a20.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x0, bound, cols);
        out[od] = a30.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x0, bound, cols);
        out[oa + 1 * oStride] = a01.reduceLanes(VectorOperators.ADD) + tail(w, w0, x, x1, bound, cols);
        out[ob + 1 * oStride] = a11.reduceLanes(VectorOperators.ADD) + tail(w, w1, x, x1, bound, cols);
        out[oc + 1 * oStride] = a21.reduceLanes(VectorOperators.ADD) + tail(w, w2, x, x1, bound, cols);
        out[od + 1 * oStride] = a31.reduceLanes(VectorOperators.ADD) + tail(w, w3, x, x1, bound, cols);
    }

    /** Σ w[wr + c]·x[xt + c] over the columns {@code [from, cols)} that do not fill a vector (usually none). */
    private static float tail(float[] w, int wr, float[] x, int xt, int from, int cols) {
        float sum = 0f;
        for (int c = from; c < cols; c++) sum += w[wr + c] * x[xt + c];
        return sum;
    }
}
