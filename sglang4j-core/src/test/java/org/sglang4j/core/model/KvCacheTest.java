package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The off-heap KV pool: rows written for a slot and layer come back (read directly and through the attention
 * kernel) as the float, half or bfloat16 value a reference conversion gives, in small pools and at the far end of
 * pools larger than a Java array could hold; only written slots become resident.
 */
class KvCacheTest {
    private static final SplittableRandom RND = new SplittableRandom(7);

    private static ModelConfig config(int nLayers, int nKvHeads, int headDim) {
        int nHeads = 2 * nKvHeads;
        return new ModelConfig("llama", nHeads * headDim, 4 * headDim, nLayers, nHeads, nKvHeads, headDim, 32, 64,
                1e-5f, 1e4f, null, false, true, headDim, false, false);
    }

    @Test
    void rowsComeBackAsTheReferenceConversionForEveryDtype() {
        ModelConfig c = config(3, 2, 64);
        int[] slots = {0, 1, 517, 999};
        for (KvDtype dtype : KvDtype.values()) {
            try (KvCache kv = new KvCache(c, 1000, dtype)) {
                float[][][] k = new float[c.nLayers()][slots.length][];
                float[][][] v = new float[c.nLayers()][slots.length][];
                for (int l = 0; l < c.nLayers(); l++) {
                    for (int s = 0; s < slots.length; s++) {
                        k[l][s] = gaussian(c.kvDim() + 3);
                        v[l][s] = gaussian(c.kvDim() + 5);
                        kv.write(l, slots[s], k[l][s], 3, v[l][s], 5);
                    }
                }
                // Checked after every write: no layer, K/V half or slot overlaps another.
                for (int l = 0; l < c.nLayers(); l++) {
                    for (int s = 0; s < slots.length; s++) {
                        for (int i = 0; i < c.kvDim(); i++) {
                            assertThat(kv.read(l, false, slots[s], i)).as("%s K layer %d slot %d [%d]", dtype, l,
                                    slots[s], i).isEqualTo(stored(dtype, k[l][s][3 + i]));
                            assertThat(kv.read(l, true, slots[s], i)).as("%s V layer %d slot %d [%d]", dtype, l,
                                    slots[s], i).isEqualTo(stored(dtype, v[l][s][5 + i]));
                        }
                        assertAttentionReturnsV(kv, c, l, slots[s], v[l][s], 5, dtype);
                    }
                }
            }
        }
    }

    @Test
    void slotsAtTheFarEndOfAPoolPastTheJavaArrayLimitRoundTripAndOnlyTheyBecomeResident() {
        ModelConfig c = config(2, 1, 64);
        // More than 2^31 values per layer: the old float[]-per-layer storage could not hold this pool.
        int capacity = (int) ((1L << 31) / c.kvDim() + 1000);
        for (KvDtype dtype : KvDtype.values()) {
            try (KvCache kv = new KvCache(c, capacity, dtype)) {
                assertThat(kv.byteSize()).isEqualTo(capacity * KvCache.bytesPerToken(c, dtype))
                        .isGreaterThan(8L << 30);
                int[] slots = {capacity - 1, capacity - 2, (int) ((1L << 31) / c.kvDim() + 1), 0};
                float[][] k = new float[slots.length][];
                float[][] v = new float[slots.length][];
                for (int l = 0; l < c.nLayers(); l++) {
                    for (int s = 0; s < slots.length; s++) {
                        k[s] = gaussian(c.kvDim());
                        v[s] = gaussian(c.kvDim());
                        kv.write(l, slots[s], k[s], 0, v[s], 0);
                        for (int i = 0; i < c.kvDim(); i++) {
                            assertThat(kv.read(l, false, slots[s], i)).isEqualTo(stored(dtype, k[s][i]));
                            assertThat(kv.read(l, true, slots[s], i)).isEqualTo(stored(dtype, v[s][i]));
                        }
                        assertAttentionReturnsV(kv, c, l, slots[s], v[s], 0, dtype);
                    }
                }
                assumeThat(AnonymousMemory.lazy()).as("lazy mapping on this platform").isTrue();
                // 4 slots x 2 layers x K and V touch at most 16 pages (huge pages where the system uses them).
                assertThat(kv.residentBytes()).isPositive().isLessThanOrEqualTo(16L * (2 << 20));
            }
        }
    }

    @Test
    void aFreshPoolIsNotResidentUntilWrittenOrTouched() {
        assumeThat(AnonymousMemory.lazy()).as("lazy mapping on this platform").isTrue();
        ModelConfig c = config(2, 2, 32);
        try (KvCache kv = new KvCache(c, 4096, KvDtype.F16)) {
            assertThat(kv.residentBytes()).isZero();
            kv.touchAll();
            assertThat(kv.residentBytes()).isEqualTo(kv.byteSize());
            assertThat(kv.read(1, true, 4095, c.kvDim() - 1)).isZero();
        }
    }

    @Test
    void aClosedPoolRefusesUseInsteadOfTouchingUnmappedMemory() {
        ModelConfig c = config(1, 1, 16);
        KvCache kv = new KvCache(c, 8, KvDtype.F32);
        kv.close();
        kv.close(); // idempotent
        assertThatThrownBy(() -> kv.write(0, 1, new float[16], 0, new float[16], 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> kv.read(0, false, 1, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPoolLargerThanTheAddressSpaceIsRefusedWithItsSize() {
        assumeThat(AnonymousMemory.lazy()).as("mmap on this platform").isTrue();
        ModelConfig c = config(4096, 32, 128); // 2 x 4096 layers x 2^31 slots x 16 KiB = 2^58 bytes
        assertThatThrownBy(() -> new KvCache(c, Integer.MAX_VALUE, KvDtype.F32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KV cache of " + Integer.MAX_VALUE + " tokens")
                .hasMessageContaining("--max-total-tokens");
    }

    /** One slot attended with any query gives softmax weight 1 to it: the output is exactly its V row's head. */
    private static void assertAttentionReturnsV(KvCache kv, ModelConfig c, int layer, int slot, float[] v, int vOff,
                                                KvDtype dtype) {
        int headDim = c.headDim();
        for (int h = 0; h < c.nKvHeads(); h++) {
            float[] q = gaussian(2 * headDim);
            float[] out = new float[2 * headDim];
            kv.attend(layer, q, 0, 2 * headDim, 1, 2, h * headDim, new int[] {slot}, 1, headDim, 0.1f, new float[2], out, 0);
            for (int j = 0; j < 2; j++) {
                for (int d = 0; d < headDim; d++) {
                    assertThat(out[j * headDim + d]).isEqualTo(stored(dtype, v[vOff + h * headDim + d]));
                }
            }
        }
    }

    /** What a {@code dtype} cache should give back for {@code x}, computed without the cache's own conversion. */
    private static float stored(KvDtype dtype, float x) {
        return switch (dtype) {
            case F32 -> x;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(x));
            case BF16 -> nearestBf16(x);
        };
    }

    /** The bfloat16 value nearest to {@code x} (ties to an even mantissa), by comparing the two candidates. */
    private static float nearestBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        float down = Float.intBitsToFloat(bits & 0xFFFF0000);
        float up = Float.intBitsToFloat((bits & 0xFFFF0000) + 0x10000);
        double dd = Math.abs((double) x - down);
        double du = Math.abs((double) up - x);
        if (dd != du) return dd < du ? down : up;
        return ((bits >>> 16) & 1) == 0 ? down : up;
    }

    private static float[] gaussian(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) RND.nextGaussian();
        return x;
    }
}
