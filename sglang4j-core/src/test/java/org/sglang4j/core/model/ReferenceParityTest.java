package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.RandomModels;

/**
 * Our forward against {@link ReferenceTransformer}, a naive double-precision implementation, on every position of
 * a prompt. This is the oracle for Qwen3: the llama.cpp build beside the project (b4747) predates Qwen3. Logits
 * have standard deviation ≈ 4; float32 accumulation over two layers puts ours within ~1e-5 relative of the
 * double result, so 1e-3 absolute leaves a wide margin while a wrong rope layout, norm or head mapping moves
 * logits by whole units.
 */
class ReferenceParityTest {
    private static final double TOL = 1e-3;
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
    void qwen3QkNormAndWideHeads() throws Exception {
        check(RandomModels.qwen3());
    }

    @Test
    void qwen3UntiedWithMoreKvHeads() throws Exception {
        check(RandomModels.qwen3().withTied(false).withShape(96, 160, 3, 6, 3, 24).withSeed(21));
    }

    @Test
    void qwen3HalfPrecisionWeights() throws Exception {
        check(RandomModels.qwen3().withType(org.sglang4j.core.gguf.GgmlType.F16).withSeed(24));
    }

    @Test
    void qwen2() throws Exception {
        check(RandomModels.qwen2().withSeed(22));
    }

    @Test
    void llamaWithLlama3RopeFactors() throws Exception {
        check(RandomModels.llama().withSeed(23).withLlama3Rope(new RandomModels.Llama3Rope(8f, 1f, 4f, 32)));
    }

    /** A prefill longer than one FFN pass ({@link ForwardState#FFN_CHUNK} tokens) runs the FFN in several passes. */
    @Test
    void prefillLongerThanOneFeedForwardPass() throws Exception {
        RandomModels spec = RandomModels.qwen2().withSeed(25);
        int[] tokens = new int[ForwardState.FFN_CHUNK + 88];
        SplittableRandom rnd = new SplittableRandom(25);
        tokens[0] = 1;
        for (int i = 1; i < tokens.length; i++) tokens[i] = 3 + rnd.nextInt(spec.vocabLimit() - 3);
        check(spec, tokens);
    }

    private void check(RandomModels spec) throws Exception {
        check(spec, LlamaCppParityTest.randomPrompt(spec.seed(), spec.vocabLimit()));
    }

    private void check(RandomModels spec, int[] tokens) throws Exception {
        Path file = spec.write(dir.resolve("m.gguf"));
        double[][] expected = ReferenceTransformer.logitsOf(file, tokens);
        try (Model model = ModelLoader.load(file)) {
            float[] logits = prefillAllLogits(model, tokens, pool);
            int vocab = model.config().vocabSize();
            for (int t = 0; t < tokens.length; t++) {
                for (int i = 0; i < vocab; i++) {
                    assertThat((double) logits[t * vocab + i]).as("%s logit %d at position %d", spec.arch(), i, t)
                            .isCloseTo(expected[t][i], within(TOL));
                }
            }
        }
    }

    /** One prefill step over {@code tokens} (slots 1..n) with logits at every position. */
    static float[] prefillAllLogits(Model model, int[] tokens, ComputePool pool) {
        ModelConfig c = model.config();
        int n = tokens.length;
        int[] positions = new int[n];
        int[] slots = new int[n];
        int[] all = new int[n];
        for (int t = 0; t < n; t++) {
            positions[t] = t;
            slots[t] = t + 1;
            all[t] = t;
        }
        float[] logits = new float[n * c.vocabSize()];
        model.forward(new ForwardBatch(tokens, positions, slots, new int[] {0, n}, new int[][] {slots}, all),
                new KvCache(c, n + 1, KvDtype.F32), new ForwardState(c, n, n), logits, pool);
        return logits;
    }
}
