package org.sglang4j.core.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.ByteOrder;
import org.sglang4j.core.kernel.Attention;

/**
 * K and V of every layer for {@code capacity} token slots (the token-to-KV pool's storage; SGLang's
 * {@code MHATokenToKVPool}). A slot is one token position of one sequence; sequences address their positions
 * through slot lists, so a prefix shared by many requests is stored once. Slot 0 may be reserved by the allocator
 * as a padding slot.
 *
 * <pre>
 * one mapping:   [layer][K | V][slot][kvDim]   kvDim = nKvHeads * headDim, little-endian
 * </pre>
 * The storage is off the Java heap, in one anonymous mapping ({@link AnonymousMemory}) whose pages become resident
 * when a slot is first written: a pool sized for the whole machine costs only what the allocator has handed out
 * so far, and the garbage collector never scans or copies it. F16/BF16 caches store 16-bit patterns, converted on
 * write and in the attention kernel. {@link #close} unmaps it; a cache that is dropped unclosed is unmapped when
 * it becomes unreachable. Not thread-safe: the forward pass writes distinct slots from several threads, never the
 * same one.
 */
public final class KvCache implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ValueLayout.OfFloat F32 =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final KvDtype dtype;
    private final int capacity;
    private final int kvDim;
    private final int nLayers;
    private final long rowBytes;
    private final MemorySegment storage;
    private final MemorySegment[] keys;
    private final MemorySegment[] values;
    private final Cleaner.Cleanable unmap;

    public KvCache(ModelConfig c, int capacity, KvDtype dtype) {
        if (capacity < 1) throw new IllegalArgumentException("KV cache capacity must be >= 1 token, got " + capacity);
        this.kvDim = c.kvDim();
        this.dtype = dtype;
        this.capacity = capacity;
        this.nLayers = c.nLayers();
        this.rowBytes = (long) kvDim * dtype.bytes;
        long perLayer = rowBytes * capacity;
        Arena arena = Arena.ofShared();
        try {
            storage = AnonymousMemory.map(2 * perLayer * nLayers, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw new IllegalArgumentException("KV cache of " + capacity + " tokens (" + (2 * perLayer * nLayers >> 20)
                    + " MiB): " + e.getMessage() + "; lower --max-total-tokens", e);
        }
        keys = new MemorySegment[nLayers];
        values = new MemorySegment[nLayers];
        for (int l = 0; l < nLayers; l++) {
            keys[l] = storage.asSlice(2L * l * perLayer, perLayer);
            values[l] = storage.asSlice((2L * l + 1) * perLayer, perLayer);
        }
        unmap = CLEANER.register(this, arena::close);
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

    /** Bytes of address space the pool spans: {@code capacity × bytesPerToken}. */
    public long byteSize() {
        return storage.byteSize();
    }

    /**
     * Bytes of the pool that are resident now: the pages of every slot written so far (slots are written by the
     * forward pass and stay resident after the allocator frees them). The whole pool where the system offers no
     * lazy mapping; -1 when it cannot be read.
     */
    public long residentBytes() {
        try {
            return AnonymousMemory.residentBytes(storage);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Writes every page of the pool, as if each slot had been used once. For benchmarks that time attention over
     * slots nobody wrote: unwritten pages all map the system's one zero page, which stays in the CPU cache and would
     * make the kernel look faster than it is over real data.
     */
    public void touchAll() {
        try {
            storage.fill((byte) 0);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    boolean matches(ModelConfig c) {
        return c.kvDim() == kvDim && c.nLayers() == nLayers;
    }

    /** Stores one token's K row {@code k[kOff, kOff + kvDim)} and V row into {@code slot} of {@code layer}. */
    void write(int layer, int slot, float[] k, int kOff, float[] v, int vOff) {
        MemorySegment kd = keys[layer];
        MemorySegment vd = values[layer];
        long dst = slot * rowBytes;
        try {
            switch (dtype) {
                case F32 -> {
                    MemorySegment.copy(k, kOff, kd, F32, dst, kvDim);
                    MemorySegment.copy(v, vOff, vd, F32, dst, kvDim);
                }
                case F16 -> {
                    for (int i = 0; i < kvDim; i++) {
                        kd.set(I16, dst + 2L * i, Float.floatToFloat16(k[kOff + i]));
                        vd.set(I16, dst + 2L * i, Float.floatToFloat16(v[vOff + i]));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < kvDim; i++) {
                        kd.set(I16, dst + 2L * i, toBf16(k[kOff + i]));
                        vd.set(I16, dst + 2L * i, toBf16(v[vOff + i]));
                    }
                }
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Reads back one stored value as a float: K ({@code value} false) or V of {@code slot}, element {@code i}. */
    float read(int layer, boolean value, int slot, int i) {
        MemorySegment s = value ? values[layer] : keys[layer];
        try {
            return switch (dtype) {
                case F32 -> s.get(F32, slot * rowBytes + 4L * i);
                case F16 -> Float.float16ToFloat(s.get(I16, slot * rowBytes + 2L * i));
                case BF16 -> Float.intBitsToFloat(s.get(I16, slot * rowBytes + 2L * i) << 16);
            };
        } finally {
            Reference.reachabilityFence(this);
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
        try {
            if (dtype == KvDtype.F32) {
                Attention.attendTokens(q, qOff, qStride, nTokens, nHeads, keys[layer], values[layer], headOff, kvDim,
                        slots, len0, headDim, scale, scores, out, outOff);
            } else {
                Attention.attendTokens(q, qOff, qStride, nTokens, nHeads, keys[layer], values[layer],
                        dtype == KvDtype.BF16, headOff, kvDim, slots, len0, headDim, scale, scores, out, outOff);
            }
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Unmaps the pool at once; using the cache afterwards throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        unmap.clean();
    }
}
