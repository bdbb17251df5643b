package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.RandomModels;

/**
 * A sequence's logits do not depend on how it is batched: computed alone in one prefill or one token per step, or
 * split into chunks and
 * single-token steps inside ragged batches with other sequences of different lengths — one of which re-uses the
 * first sequence's KV slots for a shared prefix, as a radix-cache hit does. Every row is computed independently,
 * so results agree to float32 rounding: 3e-5 relative to the logit (floor 1), because the summation order of a
 * vector reduction differs between interpreted and JIT-compiled code (measured: 1e-5 at most).
 */
class RaggedBatchTest {
    private static ComputePool pool;
    private static Path modelFile;
    private static final float TOL = 3e-5f;

    /**
     * Batched and single-token matmuls sum in different orders, so K and V differ in their last float bits; a
     * half-precision cache rounds them to 11 (BF16: 8) significant bits, where such a difference can flip one
     * rounding, so the logits of later positions may move by more than float reassociation alone.
     */
    private static float tolerance(KvDtype dtype) {
        return switch (dtype) {
            case F32 -> TOL;
            case F16 -> 1e-4f;
            case BF16 -> 5e-4f;
        };
    }

    @TempDir
    static Path dir;

    /** A: 20 tokens. B: A's first 4 tokens (shared KV) + 5 of its own. C: 13 tokens. */
    private static final int[] A = {1, 17, 290, 3301, 44, 1020, 7, 999, 2500, 31, 400, 401, 402, 88, 3000, 12, 5, 600, 61, 4095};
    private static final int[] B = {1, 17, 290, 3301, 77, 78, 2222, 1000, 9};
    private static final int[] C = {1, 2049, 3, 4, 5, 6, 700, 800, 900, 1000, 1100, 1200, 1300};
    private static final int SHARED = 4;

    @BeforeAll
    static void setUp() throws Exception {
        pool = new ComputePool(2);
        modelFile = RandomModels.qwen2().withSeed(31).write(dir.resolve("qwen2.gguf"));
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @ParameterizedTest
    @EnumSource(KvDtype.class)
    void sameLogitsAloneChunkedAndInRaggedBatches(KvDtype dtype) throws Exception {
        try (Model model = ModelLoader.load(modelFile)) {
            check(model, dtype, true);
        }
    }

    @ParameterizedTest
    @EnumSource(KvDtype.class)
    void sameLogitsWhenOnlyLastTokensGetLogits(KvDtype dtype) throws Exception {
        try (Model model = ModelLoader.load(modelFile)) {
            check(model, dtype, false);
        }
    }

    @Test
    void anyThreadCountGivesTheSameLogits() throws Exception {
        // 1 decode token x 2 kv heads: with more threads than that, GQA groups are split across threads.
        try (Model model = ModelLoader.load(RandomModels.mistral().withSeed(32).write(dir.resolve("mistral.gguf")))) {
            float[][] reference = alone(model, KvDtype.F32, A, pool);
            for (int threads : new int[] {1, 3, 5, 8}) {
                try (ComputePool p = new ComputePool(threads)) {
                    float[][] actual = alone(model, KvDtype.F32, A, p);
                    for (int t = 0; t < A.length; t++) {
                        for (int i = 0; i < actual[t].length; i++) {
                            assertThat(actual[t][i]).isCloseTo(reference[t][i],
                                    within(TOL * Math.max(1f, Math.abs(reference[t][i]))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void prefillChunkWithoutLogitsStillFillsTheCache() throws Exception {
        try (Model model = ModelLoader.load(modelFile)) {
            ModelConfig c = model.config();
            float[][] reference = prefillAlone(model, KvDtype.F32, A);
            int[] slots = new int[A.length];
            for (int i = 0; i < slots.length; i++) slots[i] = i;
            KvCache kv = new KvCache(c, A.length, KvDtype.F32);
            ForwardState st = new ForwardState(c, A.length, 1);
            float[] logits = new float[c.vocabSize()];
            int split = 11;
            int[] pos1 = java.util.Arrays.copyOfRange(slots, 0, split);
            model.forward(new ForwardBatch(java.util.Arrays.copyOf(A, split), pos1, pos1, new int[] {0, split},
                    new int[][] {slots}, new int[0]), kv, st, logits, pool);
            int[] pos2 = java.util.Arrays.copyOfRange(slots, split, A.length);
            model.forward(new ForwardBatch(java.util.Arrays.copyOfRange(A, split, A.length), pos2, pos2,
                    new int[] {0, A.length - split}, new int[][] {slots}, new int[] {A.length - split - 1}), kv, st,
                    logits, pool);
            float[] expected = reference[A.length - 1];
            for (int i = 0; i < expected.length; i++) {
                assertThat(logits[i]).isCloseTo(expected[i], within(TOL * Math.max(1f, Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void realModelNormalRope() throws Exception {
        try (Model model = ModelLoader.load(org.sglang4j.core.testing.SharedData.stories260K().resolve("stories260K.bin"))) {
            int[] a = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267};
            int[] b = {1, 403, 407, 261, 100, 200, 300, 400, 500};
            int[] c = {1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
            checkSequences(model, KvDtype.F32, true, a, b, c);
        }
    }

    private static void check(Model model, KvDtype dtype, boolean allLogits) {
        checkSequences(model, dtype, allLogits, A, B, C);
    }

    private static void checkSequences(Model model, KvDtype dtype, boolean allLogits, int[] a, int[] b, int[] c) {
        ModelConfig cfg = model.config();
        int vocab = cfg.vocabSize();
        float[][] refA = prefillAlone(model, dtype, a);
        float[][] refB = alone(model, dtype, b);
        float[][] refC = prefillAlone(model, dtype, c);

        // Slots interleave the three sequences; B's first SHARED slots are A's.
        int[] slotsA = new int[a.length];
        int[] slotsB = new int[b.length];
        int[] slotsC = new int[c.length];
        int next = 1;
        for (int i = 0; i < 20; i++) {
            if (i < a.length) slotsA[i] = next++;
            if (i < c.length) slotsC[i] = next++;
            if (i >= SHARED && i < b.length) slotsB[i] = next++;
        }
        System.arraycopy(slotsA, 0, slotsB, 0, SHARED);
        KvCache kv = new KvCache(cfg, next, dtype);
        ForwardState st = new ForwardState(cfg, 32, 32);
        float[] logits = new float[32 * vocab];

        Seq sa = new Seq(a, slotsA, refA);
        Seq sb = new Seq(b, slotsB, refB);
        Seq sc = new Seq(c, slotsC, refC);
        // step 1: prefill chunks of A and C; step 2: one token of A, B's uncached suffix, one of C;
        // step 3: the rest of A and C.
        step(model, kv, st, logits, pool, allLogits, List.of(sa.chunk(0, 8), sc.chunk(0, 5)));
        step(model, kv, st, logits, pool, allLogits, List.of(sa.chunk(8, 9), sb.chunk(SHARED, b.length), sc.chunk(5, 6)));
        step(model, kv, st, logits, pool, allLogits, List.of(sc.chunk(6, c.length), sa.chunk(9, a.length)));
        assertThat(sa.checked + sb.checked + sc.checked)
                .isEqualTo(allLogits ? a.length + b.length - SHARED + c.length : 7);
    }

    private record Chunk(Seq seq, int from, int to) {}

    private static final class Seq {
        final int[] tokens;
        final int[] slots;
        final float[][] reference;
        int checked;

        Seq(int[] tokens, int[] slots, float[][] reference) {
            this.tokens = tokens;
            this.slots = slots;
            this.reference = reference;
        }

        Chunk chunk(int from, int to) {
            return new Chunk(this, from, to);
        }
    }

    private static void step(Model model, KvCache kv, ForwardState st, float[] logits, ComputePool pool,
                             boolean allLogits, List<Chunk> chunks) {
        List<Integer> ids = new ArrayList<>(), pos = new ArrayList<>(), locs = new ArrayList<>(), logitRows = new ArrayList<>();
        int[] starts = new int[chunks.size() + 1];
        int[][] kvSlots = new int[chunks.size()][];
        for (int s = 0; s < chunks.size(); s++) {
            Chunk ch = chunks.get(s);
            starts[s] = ids.size();
            kvSlots[s] = ch.seq.slots;
            for (int p = ch.from; p < ch.to; p++) {
                if (allLogits || p == ch.to - 1) logitRows.add(ids.size());
                ids.add(ch.seq.tokens[p]);
                pos.add(p);
                locs.add(ch.seq.slots[p]);
            }
        }
        starts[chunks.size()] = ids.size();
        int[] rows = logitRows.stream().mapToInt(Integer::intValue).toArray();
        model.forward(new ForwardBatch(ints(ids), ints(pos), ints(locs), starts, kvSlots, rows), kv, st, logits, pool);
        int vocab = model.config().vocabSize();
        for (int r = 0; r < rows.length; r++) {
            int t = rows[r];
            int s = 0;
            while (starts[s + 1] <= t) s++;
            Chunk ch = chunks.get(s);
            int position = pos.get(t);
            float[] expected = ch.seq.reference[position];
            for (int i = 0; i < vocab; i++) {
                float e = expected[i];
                assertThat(logits[r * vocab + i]).as("logit %d at position %d", i, position)
                        .isCloseTo(e, within(tolerance(kv.dtype()) * Math.max(1f, Math.abs(e))));
            }
            ch.seq.checked++;
        }
    }

    private static float[][] alone(Model model, KvDtype dtype, int[] tokens) {
        return alone(model, dtype, tokens, pool);
    }

    /** The sequence alone, one token per step (decode), logits at every position. */
    private static float[][] alone(Model model, KvDtype dtype, int[] tokens, ComputePool pool) {
        ModelConfig c = model.config();
        int n = tokens.length;
        int[] slots = new int[n];
        for (int t = 0; t < n; t++) slots[t] = t;
        KvCache kv = new KvCache(c, n, dtype);
        ForwardState st = new ForwardState(c, 1, 1);
        float[] logits = new float[c.vocabSize()];
        float[][] out = new float[n][];
        for (int t = 0; t < n; t++) {
            model.forward(new ForwardBatch(new int[] {tokens[t]}, new int[] {t}, new int[] {t}, new int[] {0, 1},
                    new int[][] {slots}, new int[] {0}), kv, st, logits, pool);
            out[t] = logits.clone();
        }
        return out;
    }

    /** The sequence alone, one prefill, logits at every position. */
    private static float[][] prefillAlone(Model model, KvDtype dtype, int[] tokens) {
        ModelConfig c = model.config();
        int n = tokens.length;
        int[] positions = new int[n];
        int[] slots = new int[n];
        int[] all = new int[n];
        for (int t = 0; t < n; t++) {
            positions[t] = t;
            slots[t] = t;
            all[t] = t;
        }
        float[] logits = new float[n * c.vocabSize()];
        model.forward(new ForwardBatch(tokens, positions, slots, new int[] {0, n}, new int[][] {slots}, all),
                new KvCache(c, n, dtype), new ForwardState(c, n, n), logits, pool);
        float[][] out = new float[n][];
        for (int t = 0; t < n; t++) out[t] = java.util.Arrays.copyOfRange(logits, t * c.vocabSize(), (t + 1) * c.vocabSize());
        return out;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
