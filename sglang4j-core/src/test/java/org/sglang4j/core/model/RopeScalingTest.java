package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.RandomModels;

/**
 * Llama 3.1 rope scaling reaches us two ways: GGUF files carry per-pair divisors ({@code rope_freqs.weight}, checked
 * against llama.cpp in {@link LlamaCppParityTest}); Hugging Face configs carry the rule's parameters
 * ({@link RopeScaling#llama3}). Both must give the same model.
 */
class RopeScalingTest {
    @TempDir
    Path dir;

    @Test
    void llama3RuleInTheConfigEqualsTheGgufFrequencyFactors() throws Exception {
        RandomModels.Llama3Rope rule = new RandomModels.Llama3Rope(8f, 1f, 4f, 32);
        Path file = RandomModels.llama().withSeed(41).withLlama3Rope(rule).write(dir.resolve("m.gguf"));
        int[] tokens = LlamaCppParityTest.randomPrompt(41, 4096);
        try (Model gguf = ModelLoader.load(file); ComputePool pool = new ComputePool(2)) {
            assertThat(gguf.weights().ropeFreqFactors()).isNotNull();
            ModelConfig c = gguf.config();
            ModelConfig hf = new ModelConfig(c.architecture(), c.dim(), c.hiddenDim(), c.nLayers(), c.nHeads(),
                    c.nKvHeads(), c.headDim(), c.vocabSize(), c.contextLength(), c.rmsNormEps(), c.ropeTheta(),
                    RopeScaling.llama3(rule.factor(), rule.lowFreqFactor(), rule.highFreqFactor(),
                            rule.originalContextLength()), c.ropeNeox(), c.tiedEmbeddings(), c.ropeDim(), c.qkvBias(),
                    c.qkNorm());
            Weights w = gguf.weights();
            Model fromRule = new Model(hf, new Weights(w.tokenEmbedding(), w.layers(), w.outputNorm(), w.output(), null),
                    null);
            float[] a = ReferenceParityTest.prefillAllLogits(gguf, tokens, pool);
            float[] b = ReferenceParityTest.prefillAllLogits(fromRule, tokens, pool);
            for (int i = 0; i < a.length; i++) assertThat(b[i]).isCloseTo(a[i], within(1e-4f));

            float[] plain = hf.ropeInverseFrequencies(null);
            float[] unscaled = c.ropeInverseFrequencies(null);
            // high frequencies untouched, the lowest divided by the full factor
            assertThat(plain[0]).isEqualTo(unscaled[0]);
            assertThat(plain[plain.length - 1]).isCloseTo(unscaled[unscaled.length - 1] / 8f, within(1e-9f));
        }
    }
}
