package org.sglang4j.core.model;

import java.util.List;
import org.sglang4j.core.tensor.Tensor;

/**
 * All weights of a model. {@code output} is the same object as {@code tokenEmbedding} when embeddings are tied.
 * {@code ropeFreqFactors} (nullable, {@code ropeDim / 2} values) divides each rotary frequency, as GGUF's
 * {@code rope_freqs.weight} does for Llama 3.1 scaling.
 */
public record Weights(Tensor tokenEmbedding, List<LayerWeights> layers, float[] outputNorm, Tensor output,
                      float[] ropeFreqFactors) {

    public Weights {
        layers = List.copyOf(layers);
    }

    void validate(ModelConfig c) {
        LayerWeights.check("token_embd", tokenEmbedding, c.vocabSize(), c.dim());
        LayerWeights.check("output", output, c.vocabSize(), c.dim());
        LayerWeights.check("output_norm", outputNorm, c.dim());
        if (layers.size() != c.nLayers()) {
            throw new IllegalArgumentException("model has " + layers.size() + " layers, the config needs " + c.nLayers());
        }
        for (int l = 0; l < layers.size(); l++) layers.get(l).validate(c, l);
    }
}
