package org.sglang4j.core.tensor;

import static org.sglang4j.core.tensor.Layouts.I8;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.LongFunction;
import org.sglang4j.core.gguf.GgmlType;

/**
 * Q8_0 weights repacked at load time for the native VNNI kernel ({@link VnniKernels}), which multiplies 16 rows
 * at once, one per int lane, four bytes per lane and instruction. Only made where that kernel runs; every
 * product then goes through it (llama.cpp's Q8_0 × Q8_0: the tokens quantized per block of 32, exact integer
 * block sums, one float multiply-add per block). The byte count is the GGUF tensor's:
 *
 * <pre>
 * values: [tile][block][chunk 0..7][16 ints]  int lane r: values 32·block + 4·chunk + 0..3 of row 16·tile + r,
 *         as q + 128 (unsigned bytes, the operand type of vpdpbusd)
 * scales: [tile][block][16 f16]               after all values: d of each row's block
 * </pre>
 * The repacking is native too ({@code src/main/c/repack_tiles.c}).
 */
public record Q8_0TiledTensor(MemorySegment data, int rows, int cols) implements Tensor {
    /** Rows per tile: the int lanes of a 512-bit vector. */
    public static final int TILE = 16;
    static final int BLOCK = 32;

    public Q8_0TiledTensor {
        Layouts.checkShape(GgmlType.Q8_0, data, rows, cols);
        if (rows % TILE != 0) throw new IllegalArgumentException("tiled Q8_0 needs rows divisible by " + TILE + ", got " + rows);
    }

    /** {@link #repack(Q8_0Tensor, LongFunction)} into memory the garbage collector frees. */
    public static Tensor repack(Q8_0Tensor t) {
        return repack(t, bytes -> Arena.ofAuto().allocate(bytes, 64));
    }

    /**
     * {@code t} repacked into new off-heap memory from {@code allocate} when the native kernel runs and the rows
     * are whole tiles, else {@code t} itself (the Java kernels read the GGUF layout). A mapped source's pages are
     * released afterwards, so the process holds the weights once.
     */
    public static Tensor repack(Q8_0Tensor t, LongFunction<MemorySegment> allocate) {
        if (!VnniKernels.available() || t.rows() % TILE != 0) return t;
        MemorySegment src = t.data();
        MemorySegment dst = allocate.apply(src.byteSize());
        int blocks = t.cols() / BLOCK;
        long scales = scaleBase(t.rows(), blocks);
        VnniKernels.repack(true, src, dst, blocks, t.rows() / TILE, scales);
        if (src.isMapped()) src.unload();
        return new Q8_0TiledTensor(dst, t.rows(), t.cols());
    }

    /** Byte offset of the scales: all tiles' values come first. */
    static long scaleBase(int rows, int blocks) {
        return (long) rows * blocks * 32;
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int off) {
        int blocks = cols / BLOCK;
        int tile = row / TILE, r = row % TILE;
        long scales = scaleBase(rows, blocks);
        for (int b = 0; b < blocks; b++) {
            long tb = (long) tile * blocks + b;
            float d = Layouts.half(data, scales + (tb * TILE + r) * 2);
            for (int c = 0; c < 8; c++) {
                long at = (tb * 8 + c) * 4 * TILE + 4L * r;
                for (int j = 0; j < 4; j++) dst[off + b * BLOCK + 4 * c + j] = d * (byte) (data.get(I8, at + j) ^ 0x80);
            }
        }
    }

    /** Rows back to back (not a hot path: matrix products of every size go through {@link #dotRowsVnni}). */
    @Override
    public void dequantizeRows(int rowStart, int rowEnd, float[] dst, int off) {
        for (int r = rowStart; r < rowEnd; r++, off += cols) dequantizeRow(r, dst, off);
    }

    /** One token, quantized here; {@link org.sglang4j.core.kernel.Matmul} quantizes once per call. */
    @Override
    public void dotRows(int rowStart, int rowEnd, float[] x, int xOff, float[] out, int outOff) {
        int blocks = cols / BLOCK;
        int[] act = new int[cols / 4], corr = new int[blocks];
        float[] scales = new float[blocks];
        ActivationQ8.quantizeBytes(x, xOff, cols, act, 0, corr, 0, scales, 0);
        dotRowsVnni(rowStart, rowEnd, MemorySegment.ofArray(act), MemorySegment.ofArray(corr),
                MemorySegment.ofArray(scales), 1, MemorySegment.ofArray(out), outOff, rows);
    }

    /**
     * {@code nTokens} tokens quantized by {@link ActivationQ8#quantizeBytes} ({@code act}, {@code corr},
     * {@code xScales}, from offset 0) times tile-aligned rows {@code [rowStart, rowEnd)}: token t's result for row
     * r at {@code out[outOff + t·stride + r − rowStart]}.
     */
    public void dotRowsVnni(int rowStart, int rowEnd, MemorySegment act, MemorySegment corr, MemorySegment xScales,
                            int nTokens, MemorySegment out, int outOff, int stride) {
        Q4_0TiledTensor.checkTiles(rowStart, rowEnd, rows, TILE);
        VnniKernels.tiles(true, data, scaleBase(rows, cols / BLOCK), cols / BLOCK, rowStart / TILE, rowEnd / TILE,
                act, corr, xScales, nTokens, out, outOff, stride);
    }
}
