package org.sglang4j.core.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelConfig;
import org.sglang4j.core.model.ModelLoader;
import org.sglang4j.core.model.RopeScaling;
import org.sglang4j.core.testing.LlamaCppServer;
import org.sglang4j.core.testing.RandomModels;

/**
 * Hugging Face directories (config.json + safetensors) of random models, written from the same numbers as a GGUF
 * file of the same model: HF keeps Q/K rows in their original order and expresses Llama 3 rope scaling in the config,
 * so agreeing with the GGUF file checks the NeoX rope on unpermuted rows, the config parsing and the name mapping.
 */
class HfModelLoaderTest {
    private static ComputePool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = new ComputePool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @Test
    void llamaDirectoryMatchesLlamaCppOnTheEquivalentGguf() throws Exception {
        RandomModels spec = RandomModels.mistral().withSeed(51).withLlama3Rope(new RandomModels.Llama3Rope(4f, 1f, 4f, 16));
        Path gguf = spec.write(dir.resolve("m.gguf"));
        Path hf = spec.writeHf(dir.resolve("hf"));
        int[] prompt = {1, 450, 3001, 2987, 13, 7, 99, 1234, 4000, 2048, 512};
        LlamaCppServer.Completion expected;
        try (LlamaCppServer server = LlamaCppServer.start(gguf)) {
            expected = server.complete(prompt, 12, 8);
        }
        try (Model model = ModelLoader.load(hf)) {
            ModelConfig c = model.config();
            assertThat(c.ropeNeox()).isTrue();
            assertThat(c.ropeScaling()).isEqualTo(RopeScaling.llama3(4f, 1f, 4f, 16));
            assertThat(c.nKvHeads()).isEqualTo(2);
            int[] all = concat(prompt, expected.tokens());
            float[] logits = prefill(model, all);
            int vocab = c.vocabSize();
            for (int i = 0; i < expected.positions().size(); i++) {
                double[] lp = logSoftmax(logits, (prompt.length - 1 + i) * vocab, vocab);
                LlamaCppServer.Position p = expected.positions().get(i);
                for (int j = 0; j < p.topIds().length; j++) {
                    // F32 on both sides: the F32 tolerance of LlamaCppParityTest
                    assertThat(lp[p.topIds()[j]]).as("position %d token %d", i, p.topIds()[j])
                            .isCloseTo(p.topLogprobs()[j], within(5e-4));
                }
            }
        }
    }

    @Test
    void qwen2Bfloat16DirectoryEqualsItsGguf() throws Exception {
        checkSameAsGguf(RandomModels.qwen2().withType(GgmlType.BF16).withSeed(52));
    }

    @Test
    void qwen3HalfPrecisionUntiedDirectoryEqualsItsGguf() throws Exception {
        checkSameAsGguf(RandomModels.qwen3().withType(GgmlType.F16).withTied(false).withSeed(53));
    }

    @Test
    void llamaWithoutScalingDirectoryEqualsItsGguf() throws Exception {
        checkSameAsGguf(RandomModels.llama().withTied(true).withSeed(54));
    }

    /** Same numbers, same kernels: only rope layout and tensor mapping differ, so logits agree to rounding. */
    private void checkSameAsGguf(RandomModels spec) throws Exception {
        int[] tokens = {1, 5, 300, 2000, 17, 4095, 3, 88, 1000, 1001, 1002, 250, 7, 64};
        try (Model gguf = ModelLoader.load(spec.write(dir.resolve("m.gguf")));
             Model hf = ModelLoader.load(spec.writeHf(dir.resolve("hf")))) {
            assertThat(hf.quantization()).isEqualTo(gguf.quantization()).isEqualTo(spec.type().name());
            assertThat(hf.config().tiedEmbeddings()).isEqualTo(spec.tied());
            float[] a = prefill(gguf, tokens);
            float[] b = prefill(hf, tokens);
            for (int i = 0; i < a.length; i++) assertThat(b[i]).isCloseTo(a[i], within(1e-4f * Math.max(1, Math.abs(a[i]))));
        }
    }

    @Test
    void unsupportedConfigsAreNamed() throws Exception {
        Path config = dir.resolve("config.json");
        assertThatThrownBy(() -> HfModelLoader.config("{\"model_type\": \"gemma2\", \"hidden_size\": 8}", config))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'gemma2'")
                .hasMessageContaining("qwen3");
        assertThatThrownBy(() -> HfModelLoader.config("{\"model_type\": \"llama\"}", config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden_size");
        String yarn = """
                {"model_type": "qwen2", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 1,
                 "num_attention_heads": 4, "vocab_size": 10, "rope_scaling": {"type": "yarn", "factor": 4}}""";
        assertThatThrownBy(() -> HfModelLoader.config(yarn, config)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("yarn");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelLoader.load(dir.resolve("empty"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.json");
    }

    private static float[] prefill(Model model, int[] tokens) {
        ModelConfig c = model.config();
        int n = tokens.length;
        int[] positions = new int[n];
        int[] all = new int[n];
        for (int t = 0; t < n; t++) positions[t] = all[t] = t;
        float[] logits = new float[n * c.vocabSize()];
        model.forward(new ForwardBatch(tokens, positions, positions, new int[] {0, n}, new int[][] {positions}, all),
                new KvCache(c, n, KvDtype.F32), new ForwardState(c, n, n), logits, pool);
        return logits;
    }

    private static double[] logSoftmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(x[off + i] - max);
        double lse = max + Math.log(sum);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[off + i] - lse;
        return out;
    }

    private static int[] concat(int[] prompt, int[] generated) {
        int[] all = new int[prompt.length + generated.length - 1];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(generated, 0, all, prompt.length, generated.length - 1);
        return all;
    }
}
