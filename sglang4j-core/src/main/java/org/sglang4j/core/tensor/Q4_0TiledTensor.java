package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I16;
import static org.sglang4j.core.tensor.Layouts.I32;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import org.sglang4j.core.gguf.GgmlType;

/**
 * Q4_0 weights repacked at load time into tiles of {@link #TILE} rows (one row per int lane), the layout the
 * kernels in {@link Q4_0TileKernels} read with whole-vector loads and no horizontal sums. llama.cpp repacks Q4_0
 * for its CPU kernels in the same spirit. The values and their byte count are those of the GGUF tensor:
 *
 * <pre>
 * nibbles: [tile][block][chunk 0..3][TILE ints]  int lane r: values 32·block + 8·chunk + j (j = 0..7) of row
 *          tile·TILE + r, as (q − 8) in two's complement, in bits 4j … 4j+3
 * scales:  [tile][block][TILE f16]                after all nibbles: d of each row's block
 * </pre>
 * Stored signed, a nibble is sign-extended by two shifts; value = d · nibble, as in Q4_0.
 */
public record Q4_0TiledTensor(MemorySegment data, int rows, int cols) implements Tensor {
    /** Rows per tile: the float lanes of a vector, so a tile row is a lane. */
    public static final int TILE = Simd.L;
    static final int BLOCK = 32;
    /** Tuning / comparison knob: {@code -Dsglang4j.q4_0.tiled=false} keeps Q4_0 matrices in the GGUF layout. */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("sglang4j.q4_0.tiled", "true"));

    public Q4_0TiledTensor {
        Layouts.checkShape(GgmlType.Q4_0, data, rows, cols);
        if (!Simd.ENABLED || rows % TILE != 0) {
            throw new IllegalArgumentException("tiled Q4_0 needs vectors of 8+ lanes and rows divisible by " + TILE
                    + ", got " + rows + " rows");
        }
    }

    /** {@link #repack(Q4_0Tensor, LongFunction)} into memory the garbage collector frees. */
    public static Tensor repack(Q4_0Tensor t) {
        return repack(t, bytes -> Arena.ofAuto().allocate(bytes, 64));
    }

    /**
     * {@code t} repacked into new off-heap memory from {@code allocate} (given a byte count) when the tiled kernels
     * apply (vectors enabled, rows a multiple of {@link #TILE}), else {@code t} itself. A mapped source's pages are
     * released afterwards ({@code unload}), so the process holds the weights once, not twice.
     */
    public static Tensor repack(Q4_0Tensor t, LongFunction<MemorySegment> allocate) {
        if (!ENABLED || !Simd.ENABLED || t.rows() % TILE != 0) return t;
        MemorySegment src = t.data();
        MemorySegment dst = allocate.apply(src.byteSize());
        int blocks = t.cols() / BLOCK;
        long scales = scaleBase(t.rows(), blocks);
        if (VnniKernels.available()) {
            VnniKernels.repack(false, src, dst, blocks, t.rows() / TILE, scales); // the same bytes, compiled C
        } else {
            repackInJava(src, dst, t.rows(), blocks, scales);
        }
        if (src.isMapped()) src.unload();
        return new Q4_0TiledTensor(dst, t.rows(), t.cols());
    }

    /** The Java repacking (where the native library is not loaded; the tests compare the two). */
    static void repackInJava(MemorySegment src, MemorySegment dst, int rows, int blocks, long scales) {
        // Tiles are independent: the first load runs this before C2 has compiled it, so use every core.
        IntStream.range(0, rows / TILE).parallel().forEach(tile -> {
            for (int r = 0; r < TILE; r++) {
                long row = (long) (tile * TILE + r) * blocks * 18;
                for (int b = 0; b < blocks; b++) {
                    long s = row + b * 18L;
                    long lo = src.get(Layouts.I64, s + 2), hi = src.get(Layouts.I64, s + 10);
                    long tb = (long) tile * blocks + b;
                    long at = tb * 16 * TILE + 4L * r;
                    // Byte i holds values i (low nibble) and i + 16 (high): chunks 0, 1 are low nibbles of bytes
                    // 0–7, 8–15, chunks 2, 3 their high nibbles.
                    dst.set(I32, at, nibbles(lo));
                    dst.set(I32, at + 4L * TILE, nibbles(hi));
                    dst.set(I32, at + 8L * TILE, nibbles(lo >>> 4));
                    dst.set(I32, at + 12L * TILE, nibbles(hi >>> 4));
                    dst.set(I16, scales + (tb * TILE + r) * 2, src.get(I16, s));
                }
            }
        });
    }

    /** The low nibbles of the 8 bytes of {@code x}, biased by −8, packed into one int (byte j → bits 4j). */
    private static int nibbles(long x) {
        // XOR 8 turns q into (q − 8) mod 16. Long.compress would gather the nibbles in one instruction, but only
        // once C2 compiles this (the first load runs it in C1, where compress is a loop); three shift-or steps do.
        x = (x ^ 0x0808080808080808L) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        return (int) (x | (x >>> 16));
    }

    /** Byte offset of the scales: all tiles' nibbles come first. */
    static long scaleBase(int rows, int blocks) {
        return (long) rows * blocks * 16;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        int blocks = cols / BLOCK;
        int tile = row / TILE, r = row % TILE;
        long scales = scaleBase(rows, blocks);
        for (int b = 0; b < blocks; b++) {
            long tb = (long) tile * blocks + b;
            float d = Layouts.half(data, scales + (tb * TILE + r) * 2);
            for (int c = 0; c < 4; c++) {
                int v = data.get(I32, (tb * 4 + c) * 4 * TILE + 4L * r);
                for (int j = 0; j < 8; j++) dst[off + b * BLOCK + 8 * c + j] = d * ((v << (28 - 4 * j)) >> 28);
            }
        }
    }

    /**
     * Rows back to back as floats (the prefill path's panel), a vector of values at a time: each int holds eight
     * consecutive values of a row, so {@code L / 8} ints broadcast across their lane groups and shifted by lane
     * give {@code L} values in order.
     */
    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        Q4_0TileKernels.dequantizeRows(data, rows, cols, rowStart, rowEnd, dst, off);
    }

    /** One token, quantized here; {@link org.sglang4j.core.kernel.Matmul} quantizes once per call and uses {@link #dotRowsQ8}. */
    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        int[] pairs = new int[cols / 2];
        float[] scales = new float[cols / BLOCK];
        ActivationQ8.quantize(x, xOff, cols, pairs, 0, scales, 0);
        dotRowsQ8(rowStart, rowEnd, pairs, 0, scales, 0, 1, out, outOff, rows);
    }

    /**
     * {@code nTokens} tokens quantized by {@link ActivationQ8} (token t's pairs at {@code pairs[pOff + t·cols/2 …]},
     * scales at {@code xScales[sOff + t·cols/32 …]}): {@code out[outOff + t·stride + r − rowStart] = Σ_c w[r][c] · x_t[c]}
     * for tile-aligned rows {@code [rowStart, rowEnd)} (llama.cpp's Q4_0 × Q8_0 dot product).
     */
    public void dotRowsQ8(int rowStart, int rowEnd, int[] pairs, int pOff, float[] xScales, int sOff, int nTokens,
                          float[] out, int outOff, int stride) {
        checkTiles(rowStart, rowEnd, rows, TILE);
        Q4_0TileKernels.dot(data, cols, scaleBase(rows, cols / BLOCK), rowStart / TILE, rowEnd / TILE, pairs, pOff,
                xScales, sOff, nTokens, out, outOff, stride);
    }

    /**
     * As {@link #dotRowsQ8} through the native VNNI kernel ({@link VnniKernels#available()} must hold): the tokens
     * in {@link ActivationQ8#vnniBytes}'s layout ({@code act}, {@code corr}) and their scales {@code xScales}, all
     * from offset 0, token t's result for row r at {@code out[outOff + t·stride + r − rowStart]}. Same results.
     */
    public void dotRowsVnni(int rowStart, int rowEnd, MemorySegment act, MemorySegment corr, MemorySegment xScales,
                            int nTokens, MemorySegment out, int outOff, int stride) {
        checkTiles(rowStart, rowEnd, rows, TILE);
        VnniKernels.tiles(false, data, scaleBase(rows, cols / BLOCK), cols / BLOCK, rowStart / TILE, rowEnd / TILE,
                act, corr, xScales, nTokens, out, outOff, stride);
    }

    /** Rejects a row range that is not whole {@code tile}-row tiles of a matrix of {@code rows} rows. */
    static void checkTiles(int rowStart, int rowEnd, int rows, int tile) {
        if (rowStart % tile != 0 || rowEnd % tile != 0 || rowStart < 0 || rowEnd > rows || rowStart > rowEnd) {
            throw new IllegalArgumentException("rows [" + rowStart + ", " + rowEnd + ") are not whole " + tile
                    + "-row tiles of " + rows);
        }
    }
}
