package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.LlamaCppServer;
import org.sglang4j.core.testing.RandomModels;

/**
 * Random-weight models of each architecture against the native llama.cpp server on the same GGUF file. The server
 * decodes greedily and reports the top log-probabilities at every generated position; we feed the same tokens
 * (prompt as one prefill step, then one decode step per token, as the server does) and compare our log-softmax
 * for each id the server lists.
 *
 * <p>Tolerances, per weight type (absolute, on log-probabilities of magnitude 0.1–10):
 * <ul>
 *   <li>F32: 5e-4. Both sides compute in float32 with an F32 KV cache; only summation order and rope angle
 *       arithmetic differ (llama.cpp accumulates θ as repeated float products). Measured: ≤ 3e-5 on every model
 *       here; dropping the llama3 rope factors, for comparison, moves log-probabilities by up to 10.</li>
 *   <li>F16: 2e-2. llama.cpp rounds activations to half precision before F16 dot products (relative error
 *       ≈5e-4 per input), which moves logits of std 4 by ≈1e-2; we keep activations in float32.</li>
 * </ul>
 * With a 16-bit KV cache on both sides (weights F32), llama.cpp also rounds Q and the attention probabilities to
 * the cache type before its dot products, while we keep them in float32:
 * <ul>
 *   <li>F16 cache: 2e-2 (11-bit mantissa; measured 3.4e-3);</li>
 *   <li>BF16 cache: 8e-2 (8-bit mantissa, 8× coarser; measured 2.1e-2). The conversions themselves are checked
 *       bit-exactly in {@code AttentionTest}.</li>
 * </ul>
 * Run with {@code -Dsglang4j.test.printDiffs=true} to print the largest difference per model.
 */
class LlamaCppParityTest {
    private static final int PROMPT_LEN = 12;
    private static final int N_PREDICT = 20;
    private static final int N_PROBS = 8;
    private static final double F32_TOL = 5e-4;
    private static final double F16_TOL = 2e-2;
    private static final double KV_F16_TOL = 2e-2;
    private static final double KV_BF16_TOL = 8e-2;
    private static final boolean PRINT = Boolean.getBoolean("sglang4j.test.printDiffs");

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
    void llamaUntiedMultiHead() throws Exception {
        check(RandomModels.llama(), F32_TOL);
    }

    @Test
    void llamaTiedEmbeddings() throws Exception {
        check(RandomModels.llama().withTied(true).withSeed(11), F32_TOL);
    }

    @Test
    void mistralGroupedQueryAttention() throws Exception {
        check(RandomModels.mistral(), F32_TOL);
    }

    @Test
    void llama3RopeScaling() throws Exception {
        // A short "original context" so that most rotary pairs are rescaled within the test's positions.
        check(RandomModels.llama().withShape(64, 160, 2, 4, 2, 16).withSeed(12)
                .withLlama3Rope(new RandomModels.Llama3Rope(4f, 1f, 4f, 16)), F32_TOL);
    }

    @Test
    void qwen2Biases() throws Exception {
        check(RandomModels.qwen2(), F32_TOL);
    }

    @Test
    void qwen2UntiedF16() throws Exception {
        check(RandomModels.qwen2().withTied(false).withType(GgmlType.F16).withSeed(13), F16_TOL);
    }

    @Test
    void llamaF16() throws Exception {
        check(RandomModels.mistral().withType(GgmlType.F16).withSeed(14), F16_TOL);
    }

    @Test
    void f16KvCache() throws Exception {
        check(RandomModels.mistral().withSeed(15), KvDtype.F16, KV_F16_TOL);
    }

    @Test
    void bf16KvCache() throws Exception {
        check(RandomModels.qwen2().withSeed(16), KvDtype.BF16, KV_BF16_TOL);
    }

    private void check(RandomModels spec, double tolerance) throws Exception {
        check(spec, KvDtype.F32, tolerance);
    }

    private void check(RandomModels spec, KvDtype kvDtype, double tolerance) throws Exception {
        TensorTypes.assumeSupported(spec.type());
        Path file = spec.write(dir.resolve(spec.arch() + "-" + spec.seed() + ".gguf"));
        int[] prompt = randomPrompt(spec.seed(), spec.vocabLimit());
        LlamaCppServer.Completion expected;
        String cacheType = kvDtype.name().toLowerCase(java.util.Locale.ROOT);
        try (LlamaCppServer server = LlamaCppServer.start(file, "-ctk", cacheType, "-ctv", cacheType)) {
            expected = server.complete(prompt, N_PREDICT, N_PROBS);
        }
        assertThat(expected.positions()).hasSize(N_PREDICT);
        try (Model model = ModelLoader.load(file)) {
            double[][] ours = logProbsPrefillThenDecode(model, kvDtype, prompt, expected.tokens());
            assertMatches(spec.arch() + " seed " + spec.seed() + " " + spec.type() + " weights, " + kvDtype + " cache",
                    expected, ours, tolerance);
        }
    }

    /**
     * Our log-probability of every id the server lists is within {@code tolerance} of its value, and our best token
     * is the server's greedy choice or within tolerance of it (a near-tie).
     */
    static void assertMatches(String what, LlamaCppServer.Completion expected, double[][] ours, double tolerance) {
        if (PRINT) System.out.printf("max |logprob difference| %s: %.3g%n", what, maxDifference(expected, ours));
        for (int i = 0; i < ours.length; i++) {
            LlamaCppServer.Position p = expected.positions().get(i);
            for (int j = 0; j < p.topIds().length; j++) {
                assertThat(ours[i][p.topIds()[j]]).as("%s position %d, token %d", what, i, p.topIds()[j])
                        .isCloseTo(p.topLogprobs()[j], org.assertj.core.data.Offset.offset(tolerance));
            }
            double best = Double.NEGATIVE_INFINITY;
            for (double lp : ours[i]) best = Math.max(best, lp);
            assertThat(best - ours[i][p.id()]).as("%s position %d: our best beats their greedy token", what, i)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    /** Prompt in one step, then each generated token in its own step; log-softmax rows per generated position. */
    static double[][] logProbsPrefillThenDecode(Model model, int[] prompt, int[] generated, ComputePool pool) {
        return logProbsPrefillThenDecode(model, KvDtype.F32, prompt, generated, pool);
    }

    static double[][] logProbsPrefillThenDecode(Model model, KvDtype kvDtype, int[] prompt, int[] generated) {
        return logProbsPrefillThenDecode(model, kvDtype, prompt, generated, pool);
    }

    static double[][] logProbsPrefillThenDecode(Model model, KvDtype kvDtype, int[] prompt, int[] generated,
                                                ComputePool pool) {
        ModelConfig c = model.config();
        int total = prompt.length + generated.length;
        KvCache kv = new KvCache(c, total + 1, kvDtype);
        ForwardState st = new ForwardState(c, prompt.length, 1);
        float[] logits = new float[c.vocabSize()];
        int[] slots = new int[total];
        for (int p = 0; p < total; p++) slots[p] = total - p; // reversed: slot order must not matter
        double[][] out = new double[generated.length][];
        int[] positions = new int[prompt.length];
        int[] locs = new int[prompt.length];
        for (int t = 0; t < prompt.length; t++) {
            positions[t] = t;
            locs[t] = slots[t];
        }
        model.forward(new ForwardBatch(prompt, positions, locs, new int[] {0, prompt.length}, new int[][] {slots},
                new int[] {prompt.length - 1}), kv, st, logits, pool);
        out[0] = logSoftmax(logits, 0, c.vocabSize());
        for (int i = 1; i < generated.length; i++) {
            int pos = prompt.length + i - 1;
            model.forward(new ForwardBatch(new int[] {generated[i - 1]}, new int[] {pos}, new int[] {slots[pos]},
                    new int[] {0, 1}, new int[][] {slots}, new int[] {0}), kv, st, logits, pool);
            out[i] = logSoftmax(logits, 0, c.vocabSize());
        }
        return out;
    }

    private static double maxDifference(LlamaCppServer.Completion expected, double[][] ours) {
        double max = 0;
        for (int i = 0; i < ours.length; i++) {
            LlamaCppServer.Position p = expected.positions().get(i);
            for (int j = 0; j < p.topIds().length; j++) {
                max = Math.max(max, Math.abs(ours[i][p.topIds()[j]] - p.topLogprobs()[j]));
            }
        }
        return max;
    }

    static double[] logSoftmax(float[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(logits[off + i] - max);
        double lse = max + Math.log(sum);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = logits[off + i] - lse;
        return out;
    }

    static int[] randomPrompt(long seed, int vocab) {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        int[] prompt = new int[PROMPT_LEN];
        prompt[0] = 1; // BOS
        for (int i = 1; i < prompt.length; i++) prompt[i] = 3 + rnd.nextInt(vocab - 3);
        return prompt;
    }
}
