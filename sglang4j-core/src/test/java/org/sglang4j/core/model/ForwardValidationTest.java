package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.SharedData;

/** Bad batches are rejected with a message naming the bad value, before anything is written to the cache. */
class ForwardValidationTest {
    private static Model model;
    private static ComputePool pool;
    private static ModelConfig c;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(SharedData.stories260K().resolve("stories260K.bin"));
        c = model.config();
        pool = new ComputePool(1);
    }

    @AfterAll
    static void close() throws Exception {
        model.close();
        pool.close();
    }

    private static void run(ForwardBatch b, int capacity, int maxTokens) {
        model.forward(b, new KvCache(c, capacity, KvDtype.F32), new ForwardState(c, maxTokens, 1),
                new float[c.vocabSize()], pool);
    }

    private static ForwardBatch one(int token, int pos, int loc, int[] slots) {
        return new ForwardBatch(new int[] {token}, new int[] {pos}, new int[] {loc}, new int[] {0, 1},
                new int[][] {slots}, new int[] {0});
    }

    @Test
    void tokenOutsideVocabulary() {
        assertThatThrownBy(() -> run(one(512, 0, 0, new int[] {0}), 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 512");
    }

    @Test
    void outCacheLocMustBeTheSlotOfItsPosition() {
        assertThatThrownBy(() -> run(one(1, 1, 3, new int[] {0, 2}), 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outCacheLoc 3 != kvSlots[0][1] = 2");
    }

    @Test
    void slotsOutsideTheCache() {
        assertThatThrownBy(() -> run(one(1, 1, 2, new int[] {9, 2}), 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kvSlots[0][0] = 9");
    }

    @Test
    void positionBeyondTheSequenceSlots() {
        assertThatThrownBy(() -> run(one(1, 5, 1, new int[] {0, 1}), 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence 0 has length 6 but 2 kvSlots");
    }

    @Test
    void moreTokensThanTheStateHolds() {
        ForwardBatch b = new ForwardBatch(new int[] {1, 2}, new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 2},
                new int[][] {{0, 1}}, new int[] {1});
        assertThatThrownBy(() -> run(b, 4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 tokens");
    }

    @Test
    void logitTokensMustAscend() {
        ForwardBatch b = new ForwardBatch(new int[] {1, 2}, new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 2},
                new int[][] {{0, 1}}, new int[] {1, 0});
        assertThatThrownBy(() -> model.forward(b, new KvCache(c, 4, KvDtype.F32), new ForwardState(c, 2, 2),
                new float[2 * c.vocabSize()], pool)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
    }

    @Test
    void stateOfAnotherModelIsRejected() {
        ModelConfig other = new ModelConfig("llama", 32, 64, 1, 2, 2, 16, 10, 16, 1e-5f, 10000f, null, false, true, 16,
                false, false);
        assertThatThrownBy(() -> model.forward(one(1, 0, 0, new int[] {0}), new KvCache(c, 4, KvDtype.F32),
                new ForwardState(other, 4, 1), new float[c.vocabSize()], pool))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ForwardState");
    }

    @Test
    void kvCacheSizes() {
        // 5 layers x kv_dim 32 x (K and V)
        assertThat(KvCache.bytesPerToken(c, KvDtype.F32)).isEqualTo(5 * 32 * 2 * 4);
        assertThat(KvCache.bytesPerToken(c, KvDtype.BF16)).isEqualTo(5 * 32 * 2 * 2);
        try (KvCache kv = new KvCache(c, 100, KvDtype.F16)) {
            assertThat(kv.capacity()).isEqualTo(100);
            assertThat(kv.byteSize()).isEqualTo(100 * KvCache.bytesPerToken(c, KvDtype.F16));
        }
        assertThatThrownBy(() -> new KvCache(c, 0, KvDtype.F32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be >= 1 token, got 0");
        assertThatThrownBy(() -> new KvCache(c, -5, KvDtype.F32)).hasMessageContaining("got -5");
    }

    @Test
    void invalidConfigNamesTheField() {
        assertThatThrownBy(() -> new ModelConfig("llama", 64, 128, 2, 6, 4, 16, 100, 64, 1e-5f, 1e4f, null, false, true,
                16, false, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n_kv_heads");
    }
}
