package org.sglang4j.core.model;

/**
 * Hyper-parameters of a decoder-only Llama-family transformer.
 *
 * @param architecture   family name as in GGUF {@code general.architecture} ("llama", "qwen2", "qwen3")
 * @param dim            hidden size (embedding length)
 * @param hiddenDim      FFN inner size
 * @param headDim        per-head size of Q/K/V; Qwen3 decouples it from {@code dim / nHeads}
 * @param contextLength  trained context length (not a hard limit on the KV pool)
 * @param ropeScaling    null when frequencies are unscaled (or scaled by a per-dimension tensor, see
 *                       {@link Weights#ropeFreqFactors()})
 * @param ropeNeox       true: rotate pairs (i, i + ropeDim/2); false: adjacent pairs (2i, 2i+1)
 * @param tiedEmbeddings true when the output projection re-uses the token embedding
 * @param ropeDim        number of rotated values per head (= headDim unless rotary is partial)
 * @param qkvBias        Q, K and V projections have biases (Qwen2)
 * @param qkNorm         per-head RMSNorm of Q and K before RoPE (Qwen3)
 */
public record ModelConfig(String architecture, int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads,
                          int headDim, int vocabSize, int contextLength, float rmsNormEps, float ropeTheta,
                          RopeScaling ropeScaling, boolean ropeNeox, boolean tiedEmbeddings, int ropeDim,
                          boolean qkvBias, boolean qkNorm) {

    public ModelConfig {
        require(dim > 0, "dim", dim);
        require(hiddenDim > 0, "hidden_dim (feed_forward_length)", hiddenDim);
        require(nLayers > 0, "n_layers (block_count)", nLayers);
        require(nHeads > 0, "n_heads", nHeads);
        require(nKvHeads > 0 && nHeads % nKvHeads == 0, "n_kv_heads (must divide n_heads=" + nHeads + ")", nKvHeads);
        require(headDim > 0, "head_dim", headDim);
        require(vocabSize > 0, "vocab_size", vocabSize);
        require(contextLength > 0, "context_length", contextLength);
        require(rmsNormEps > 0, "rms_norm_eps", rmsNormEps);
        require(ropeTheta > 0, "rope_theta", ropeTheta);
        require(ropeDim > 0 && ropeDim % 2 == 0 && ropeDim <= headDim,
                "rope dimension (must be even and <= head_dim=" + headDim + ")", ropeDim);
    }

    private static void require(boolean ok, String what, Object value) {
        if (!ok) throw new IllegalArgumentException("invalid model config: " + what + " = " + value);
    }

    /** Width of all query heads together. */
    public int qDim() {
        return nHeads * headDim;
    }

    /** Width of one token's K (or V) row in the cache. */
    public int kvDim() {
        return nKvHeads * headDim;
    }

    /** Rotary inverse frequencies {@code theta^(-2i/ropeDim)}, scaled, for {@code i < ropeDim / 2}. */
    public float[] ropeInverseFrequencies(float[] freqFactors) {
        int half = ropeDim / 2;
        if (freqFactors != null && freqFactors.length < half) {
            throw new IllegalArgumentException("rope_freqs has " + freqFactors.length + " values, need " + half);
        }
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            // float arithmetic in the order llama2.c uses: 1 / powf(theta, 2i / (float) ropeDim)
            float f = 1f / (float) Math.pow(ropeTheta, (float) (2 * i) / (float) ropeDim);
            if (ropeScaling != null) f = ropeScaling.apply(f);
            if (freqFactors != null) f /= freqFactors[i];
            inv[i] = f;
        }
        return inv;
    }
}
