package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.RandomModels;

/**
 * A ragged batch run in passes of a few tokens (cutting sequences between passes) gives the logits and the KV
 * cache that one pass over the whole batch gives, to float32 rounding (see RaggedBatchTest for the tolerance).
 */
class ForwardInPassesTest {
    private static final float TOL = 3e-5f;
    private static ComputePool pool;
    private static Model model;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        pool = new ComputePool(2);
        model = ModelLoader.load(RandomModels.qwen2().withSeed(41).write(dir.resolve("qwen2.gguf")));
    }

    @AfterAll
    static void tearDown() throws Exception {
        model.close();
        pool.close();
    }

    /**
     * Sequence A: 4 cached tokens (slots 0..3, written by an earlier step) + 9 new; B: 6 new; C: 1 new (a decode
     * token after 2 cached). Token order A | B | C, 16 tokens.
     */
    private static final int[] A = {1, 17, 290, 3301, 44, 1020, 7, 999, 2500, 31, 400, 401, 402};
    private static final int[] B = {1, 2049, 3, 4, 5, 6};
    private static final int[] C = {1, 77, 78};

    private record Run(float[] logits, KvCache kv) {}

    private static Run run(int passTokens, boolean allLogits) {
        ModelConfig c = model.config();
        KvCache kv = new KvCache(c, 64, KvDtype.F32);
        int[] slotsA = range(0, A.length);
        int[] slotsB = range(20, 20 + B.length);
        int[] slotsC = range(40, 40 + C.length);
        // The cached parts: A's first 4 tokens and C's first 2, in one earlier step.
        ForwardState prefix = new ForwardState(c, 6, 1);
        model.forward(new ForwardBatch(new int[] {A[0], A[1], A[2], A[3], C[0], C[1]}, new int[] {0, 1, 2, 3, 0, 1},
                new int[] {0, 1, 2, 3, 40, 41}, new int[] {0, 4, 6}, new int[][] {slotsA, slotsC}, new int[0]), kv,
                prefix, new float[0], pool);
        int n = (A.length - 4) + B.length + 1;
        int[] tokens = new int[n];
        int[] positions = new int[n];
        int[] loc = new int[n];
        int t = 0;
        for (int p = 4; p < A.length; p++, t++) set(tokens, positions, loc, t, A[p], p, slotsA[p]);
        for (int p = 0; p < B.length; p++, t++) set(tokens, positions, loc, t, B[p], p, slotsB[p]);
        set(tokens, positions, loc, t, C[2], 2, slotsC[2]);
        int[] logitTokens = allLogits ? range(0, n) : new int[] {A.length - 5, A.length - 4 + B.length - 1, n - 1};
        ForwardBatch batch = new ForwardBatch(tokens, positions, loc, new int[] {0, A.length - 4, A.length - 4 + B.length, n},
                new int[][] {slotsA, slotsB, slotsC}, logitTokens);
        float[] logits = new float[logitTokens.length * c.vocabSize()];
        model.forwardInPasses(batch, kv, new ForwardState(c, passTokens, passTokens), logits, pool);
        return new Run(logits, kv);
    }

    @Test
    void passesOfAFewTokensGiveTheLogitsAndCacheOfOnePass() {
        for (boolean allLogits : new boolean[] {true, false}) {
            Run whole = run(16, allLogits);
            for (int pass : new int[] {1, 3, 5, 8}) {
                Run parts = run(pass, allLogits);
                for (int i = 0; i < whole.logits().length; i++) {
                    assertThat(parts.logits()[i]).as("pass %d, all logits %s, [%d]", pass, allLogits, i)
                            .isCloseTo(whole.logits()[i], within(TOL * Math.max(1f, Math.abs(whole.logits()[i]))));
                }
                ModelConfig c = model.config();
                for (int l = 0; l < c.nLayers(); l++) {
                    for (int slot : new int[] {4, 12, 20, 25, 42}) {
                        for (int i = 0; i < c.kvDim(); i++) {
                            float k = whole.kv().read(l, false, slot, i);
                            float v = whole.kv().read(l, true, slot, i);
                            assertThat(parts.kv().read(l, false, slot, i)).isCloseTo(k, within(TOL * Math.max(1f, Math.abs(k))));
                            assertThat(parts.kv().read(l, true, slot, i)).isCloseTo(v, within(TOL * Math.max(1f, Math.abs(v))));
                        }
                    }
                }
                parts.kv().close();
            }
            whole.kv().close();
        }
    }

    @Test
    void aSliceKeepsTheCutSequencesWithTheirWholeSlotListsAndRenumbersLogitTokens() {
        int[][] slots = {range(0, 10), range(10, 13), range(20, 22)};
        ForwardBatch b = new ForwardBatch(range(100, 110), new int[] {3, 4, 5, 6, 0, 1, 2, 7, 8, 9},
                new int[] {3, 4, 5, 6, 10, 11, 12, 27, 28, 29}, new int[] {0, 4, 7, 10}, slots, new int[] {3, 6, 9});
        ForwardBatch s = b.slice(2, 8);
        assertThat(s.tokenIds()).containsExactly(102, 103, 104, 105, 106, 107);
        assertThat(s.positions()).containsExactly(5, 6, 0, 1, 2, 7);
        assertThat(s.seqStarts()).containsExactly(0, 2, 5, 6);
        assertThat(s.kvSlots().length).isEqualTo(3);
        for (int i = 0; i < 3; i++) assertThat(s.kvSlots()[i]).isSameAs(slots[i]);
        assertThat(s.logitTokens()).containsExactly(1, 4);
        ForwardBatch middle = b.slice(4, 7);
        assertThat(middle.kvSlots().length).isOne();
        assertThat(middle.kvSlots()[0]).isSameAs(slots[1]);
        assertThat(middle.seqStarts()).containsExactly(0, 3);
        assertThat(middle.logitTokens()).containsExactly(2);
        assertThatThrownBy(() -> b.slice(5, 5)).hasMessageContaining("[5, 5)");
        assertThatThrownBy(() -> b.slice(8, 11)).hasMessageContaining("not inside [0, 10)");
    }

    private static void set(int[] tokens, int[] positions, int[] loc, int t, int token, int pos, int slot) {
        tokens[t] = token;
        positions[t] = pos;
        loc[t] = slot;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        Arrays.setAll(r, i -> from + i);
        return r;
    }
}
