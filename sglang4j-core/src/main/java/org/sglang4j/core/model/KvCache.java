package org.sglang4j.core.model;

import org.sglang4j.core.kernel.Attention;

/**
 * K and V of every layer for {@code capacity} token slots (the token-to-KV pool's storage; SGLang's
 * {@code MHATokenToKVPool}). A slot is one token position of one sequence; sequences address their positions
 * through slot lists, so a prefix shared by many requests is stored once. Slot 0 may be reserved by the allocator
 * as a padding slot.
 *
 * <pre>
 * keys[layer]:   [slot][kvDim]   kvDim = nKvHeads * headDim, row of slot s at s * kvDim
 * values[layer]: [slot][kvDim]
 * </pre>
 * F16/BF16 caches store the 16-bit patterns in {@code short[]} and convert on write and in the attention kernel.
 * Not thread-safe: the forward pass writes distinct slots from several threads, never the same one.
 */
public final class KvCache {
    private final KvDtype dtype;
    private final int capacity;
    private final int kvDim;
    private final int nLayers;
    private final float[][] keys32;
    private final float[][] values32;
    private final short[][] keys16;
    private final short[][] values16;

    public KvCache(ModelConfig c, int capacity, KvDtype dtype) {
        if (capacity < 1) throw new IllegalArgumentException("KV cache capacity must be >= 1 token, got " + capacity);
        this.kvDim = c.kvDim();
        long elements = (long) capacity * kvDim;
        long max = Integer.MAX_VALUE - 16;
        if (elements > max) {
            throw new IllegalArgumentException("KV cache capacity " + capacity + " tokens exceeds the per-layer limit of "
                    + max / kvDim + " tokens for kv_dim " + kvDim);
        }
        this.dtype = dtype;
        this.capacity = capacity;
        this.nLayers = c.nLayers();
        if (dtype == KvDtype.F32) {
            keys32 = new float[nLayers][capacity * kvDim];
            values32 = new float[nLayers][capacity * kvDim];
            keys16 = values16 = null;
        } else {
            keys16 = new short[nLayers][capacity * kvDim];
            values16 = new short[nLayers][capacity * kvDim];
            keys32 = values32 = null;
        }
    }

    public int capacity() {
        return capacity;
    }

    public KvDtype dtype() {
        return dtype;
    }

    /** K and V of all layers for one token. */
    public static long bytesPerToken(ModelConfig c, KvDtype dtype) {
        return 2L * c.nLayers() * c.kvDim() * dtype.bytes;
    }

    boolean matches(ModelConfig c) {
        return c.kvDim() == kvDim && c.nLayers() == nLayers;
    }

    /** Stores one token's K row {@code k[kOff, kOff + kvDim)} and V row into {@code slot} of {@code layer}. */
    void write(int layer, int slot, float[] k, int kOff, float[] v, int vOff) {
        int dst = slot * kvDim;
        switch (dtype) {
            case F32 -> {
                System.arraycopy(k, kOff, keys32[layer], dst, kvDim);
                System.arraycopy(v, vOff, values32[layer], dst, kvDim);
            }
            case F16 -> {
                short[] kd = keys16[layer];
                short[] vd = values16[layer];
                for (int i = 0; i < kvDim; i++) {
                    kd[dst + i] = Float.floatToFloat16(k[kOff + i]);
                    vd[dst + i] = Float.floatToFloat16(v[vOff + i]);
                }
            }
            case BF16 -> {
                short[] kd = keys16[layer];
                short[] vd = values16[layer];
                for (int i = 0; i < kvDim; i++) {
                    kd[dst + i] = toBf16(k[kOff + i]);
                    vd[dst + i] = toBf16(v[vOff + i]);
                }
            }
        }
    }

    /** Round-to-nearest-even float → bfloat16 (NaN stays NaN). */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /**
     * {@code nTokens} query tokens of one sequence at consecutive positions, the first attending
     * {@code slots[0, len0)}, each next one position more; token i's {@code nHeads} query heads sharing kv head
     * offset {@code headOff} are at {@code q[qOff + i·qStride …]} and its output at {@code out[outOff + i·qStride …]}
     * (see {@link Attention}). {@code scores} needs {@code nTokens · nHeads · (len0 + nTokens − 1)} entries.
     */
    void attend(int layer, float[] q, int qOff, int qStride, int nTokens, int nHeads, int headOff, int[] slots,
                int len0, int headDim, float scale, float[] scores, float[] out, int outOff) {
        if (dtype != KvDtype.F32) {
            Attention.attendTokens(q, qOff, qStride, nTokens, nHeads, keys16[layer], values16[layer],
                    dtype == KvDtype.BF16, headOff, kvDim, slots, len0, headDim, scale, scores, out, outOff);
            return;
        }
        for (int i = 0; i < nTokens; i++) {
            Attention.attend(q, qOff + i * qStride, nHeads, keys32[layer], values32[layer], headOff, kvDim, slots,
                    len0 + i, headDim, scale, scores, out, outOff + i * qStride);
        }
    }
}
