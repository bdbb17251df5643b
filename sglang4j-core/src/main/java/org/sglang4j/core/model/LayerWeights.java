package org.sglang4j.core.model;

import org.sglang4j.core.tensor.Tensor;

/**
 * One transformer block. Matrices are {@code [out][in]} views of the model file; norm weights and biases are small
 * heap copies. Optional parts are null: {@code bq/bk/bv} (Qwen2), {@code qNorm/kNorm} (Qwen3, {@code headDim} each).
 */
public record LayerWeights(float[] attnNorm, Tensor wq, Tensor wk, Tensor wv, float[] bq, float[] bk, float[] bv,
                           float[] qNorm, float[] kNorm, Tensor wo, float[] ffnNorm, Tensor gate, Tensor up,
                           Tensor down) {

    void validate(ModelConfig c, int layer) {
        String p = "layer " + layer + " ";
        check(p + "attn_norm", attnNorm, c.dim());
        check(p + "attn_q", wq, c.qDim(), c.dim());
        check(p + "attn_k", wk, c.kvDim(), c.dim());
        check(p + "attn_v", wv, c.kvDim(), c.dim());
        check(p + "attn_output", wo, c.dim(), c.qDim());
        check(p + "ffn_norm", ffnNorm, c.dim());
        check(p + "ffn_gate", gate, c.hiddenDim(), c.dim());
        check(p + "ffn_up", up, c.hiddenDim(), c.dim());
        check(p + "ffn_down", down, c.dim(), c.hiddenDim());
        if (c.qkvBias()) {
            check(p + "attn_q.bias", bq, c.qDim());
            check(p + "attn_k.bias", bk, c.kvDim());
            check(p + "attn_v.bias", bv, c.kvDim());
        }
        if (c.qkNorm()) {
            check(p + "attn_q_norm", qNorm, c.headDim());
            check(p + "attn_k_norm", kNorm, c.headDim());
        }
    }

    static void check(String name, Tensor t, int rows, int cols) {
        if (t == null) throw new IllegalArgumentException("missing weight " + name);
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException("weight " + name + " is " + t.rows() + "x" + t.cols() + " ([out][in]), "
                    + "the config needs " + rows + "x" + cols);
        }
    }

    static void check(String name, float[] v, int length) {
        if (v == null) throw new IllegalArgumentException("missing weight " + name);
        if (v.length != length) {
            throw new IllegalArgumentException("weight " + name + " has " + v.length + " values, the config needs " + length);
        }
    }
}
