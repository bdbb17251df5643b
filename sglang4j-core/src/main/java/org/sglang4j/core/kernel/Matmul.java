package org.sglang4j.core.kernel;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.sglang4j.core.tensor.ActivationQ8;
import org.sglang4j.core.tensor.Q4_0TiledTensor;
import org.sglang4j.core.tensor.Q8_0TiledTensor;
import org.sglang4j.core.tensor.Simd;
import org.sglang4j.core.tensor.Tensor;
import org.sglang4j.core.tensor.VnniKernels;

/**
 * Batched matrix multiplication against a weight tensor: {@code out[t][r] = Σ_c w[r][c] · x[t][c]} for
 * {@code t < nTokens}, {@code r < w.rows()}. {@code x} is {@code [nTokens][w.cols()]} and {@code out} is
 * {@code [nTokens][w.rows()]}, both row-major. Work is split over output rows so every weight row is read once
 * for all tokens of the step.
 *
 * <p>Paths, by token count:
 * <ul>
 *   <li>a {@link Q4_0TiledTensor}: the tokens are quantized to 8 bits once per call ({@link ActivationQ8}), as
 *       llama.cpp does, and multiplied in 16-bit integers ({@link Q4_0TiledTensor#dotRowsQ8}); from
 *       {@link #TILED_FLOAT_TOKENS} tokens (prefill) the quantized values, restored to floats, take the
 *       dequantized-tile path below. Where the native kernel is available ({@link VnniKernels}) every token
 *       count goes through its VNNI byte dot products instead (the integer passes' results, bit for bit);
 *   <li>a {@link Q8_0TiledTensor} (made only where the native kernel runs): any token count, quantized to 8 bits
 *       once per call ({@link ActivationQ8#quantizeBytes}) and multiplied with VNNI byte dot products;
 *   <li>one token (single-sequence decode, memory-bound): each row is dequantized in registers and dotted with
 *       {@code x} ({@link Tensor#dotRows});
 *   <li>2 to {@link #FEW_TOKENS} tokens (batched decode) for types with fused kernels (Q8_0, Q4_0): the tokens are
 *       packed once per call in groups of 2, 4 or 8 slots (8 for seven or more tokens, else 4 and the rest) and
 *       every weight vector is dequantized in registers once per group ({@link Tensor#dotRowsPacked}); a group of
 *       one token uses the one-token kernel. With several groups, each block of {@link #BLOCK_ROWS} rows goes
 *       through all of them while it is in cache;
 *   <li>otherwise (other types, prefill): a chunk of {@link #CHUNK_ROWS} rows is dequantized once into a
 *       per-thread scratch that stays in cache, and 4-row tiles of 2 to 4 tokens ({@link TileKernels}) go over
 *       all tokens.
 * </ul>
 * Every path reads each weight from memory once per call. Threads split the rows in {@link #CHUNK_ROWS}-row
 * units; inside its range a thread reads two to four rows from far-apart positions at once, because the hardware
 * prefetchers sustain several sequential streams per core but not enough bandwidth from one.
 */
public final class Matmul {
    private Matmul() {}

    /**
     * Rows dequantized together and handed out to threads as one unit: a multiple of 16, so of the 4-row tile
     * and of {@link Q4_0TiledTensor#TILE}.
     */
    static final int CHUNK_ROWS = Math.max(16, Integer.getInteger("sglang4j.matmul.chunkRows", 16) / 16 * 16);

    /** Up to this many tokens a call takes the few-token paths (batched decode); more is prefill. */
    static final int FEW_TOKENS = Integer.getInteger("sglang4j.matmul.fewTokens", 16);

    /**
     * From this many tokens a tiled Q4_0 matrix takes the dequantized-tile path (float 4×4 tiles, fewer ops per
     * product than 16-bit integer passes of two tokens, once the dequantization is paid for by enough tokens).
     */
    static final int TILED_FLOAT_TOKENS = Integer.getInteger("sglang4j.matmul.tiledFloatTokens", 32);

    /** Rows per cache block when several fused token groups go over the same rows. */
    static final int BLOCK_ROWS = 32;

    /** Token slots of the largest fused kernel. */
    private static final int MAX_SLOTS = 8;

    /** Whether tiled Q4_0 matrices take the native VNNI kernel (decided once, at class load). */
    private static final boolean VNNI = VnniKernels.available();

    private static final ThreadLocal<Job> JOBS = ThreadLocal.withInitial(Job::new);
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    public static void matmul(Tensor w, float[] x, int nTokens, float[] out, ComputePool pool) {
        matmul(w, x, 0, nTokens, out, 0, pool);
    }

    /**
     * As {@link #matmul(Tensor, float[], int, float[], ComputePool)} with token {@code t}'s input at
     * {@code x[xOff + t*cols …]} and its output at {@code out[outOff + t*rows …]}.
     */
    public static void matmul(Tensor w, float[] x, int xOff, int nTokens, float[] out, int outOff, ComputePool pool) {
        Objects.requireNonNull(w, "w");
        int rows = w.rows();
        int cols = w.cols();
        if (nTokens < 0) throw new IllegalArgumentException("nTokens must be >= 0, got " + nTokens);
        if (xOff < 0 || x.length - xOff < (long) nTokens * cols) {
            throw new IllegalArgumentException("x needs " + (long) nTokens * cols + " floats from offset " + xOff
                    + " for " + nTokens + " tokens of " + cols + ", has " + x.length);
        }
        if (outOff < 0 || out.length - outOff < (long) nTokens * rows) {
            throw new IllegalArgumentException("out needs " + (long) nTokens * rows + " floats from offset " + outOff
                    + " for " + nTokens + " tokens of " + rows + ", has " + out.length);
        }
        if (nTokens == 0) return;
        Job job = JOBS.get();
        job.w = w;
        job.x = x;
        job.xOff = xOff;
        job.nTokens = nTokens;
        job.out = out;
        job.outOff = outOff;
        job.pack(pool);
        try {
            pool.parallelFor((rows + CHUNK_ROWS - 1) / CHUNK_ROWS, job.task());
        } finally {
            job.w = null;
            job.x = null;
            job.out = null;
        }
    }

    /** A per-calling-thread, reusable task: the hot path allocates nothing. */
    private static final class Job {
        Tensor w;
        float[] x;
        int xOff;
        int nTokens;
        float[] out;
        int outOff;
        /** Fused token groups of this call (0: not the fused path): first token, tokens, slots, packed offset. */
        int groups;
        final int[] groupStart = new int[FEW_TOKENS];
        final int[] groupTokens = new int[groupStart.length];
        final int[] groupSlots = new int[groupStart.length];
        final int[] groupOffset = new int[groupStart.length];
        /** The tokens of every fused group, packed ({@link Tensor#dotRowsPacked}). */
        float[] packed = new float[0];
        /** The tokens quantized for a tiled Q4_0 matrix ({@link ActivationQ8}), token by token. */
        int[] pairs = new int[0];
        float[] xScales = new float[0];
        /** The same tokens for the native kernel ({@link ActivationQ8#vnniBytes}), and the arrays as segments. */
        int[] act = new int[0];
        int[] corr = new int[0];
        MemorySegment actSegment, corrSegment, xScalesSegment;
        /**
         * {@link #out} as a segment, made again only when a call brings another output array (the forward pass
         * reuses its buffers, so this allocates nothing per step; it keeps at most one array per thread alive).
         */
        float[] segmentOut;
        MemorySegment outSegment;
        /** Prefill tokens for a tiled Q4_0 matrix, quantized and restored ({@link ActivationQ8#roundTrip}). */
        float[] restored = new float[0];

        /**
         * Prepares the tokens for the path: for a tiled Q4_0 matrix quantizes them (over the pool when there are
         * several); for the fused path splits them into groups (eight slots, then a remainder of 1, 2, 4 or 8
         * slots) and packs them.
         */
        void pack(ComputePool pool) {
            groups = 0;
            if (w instanceof Q4_0TiledTensor && nTokens >= TILED_FLOAT_TOKENS && !VNNI) {
                // Prefill: the tokens' quantized values, restored to floats, go through the dequantized-tile path.
                int cols = w.cols();
                if (restored.length < nTokens * cols) restored = new float[nTokens * cols];
                pool.parallelFor(nTokens, restoreTask);
                x = restored;
                xOff = 0;
                return;
            }
            if (w instanceof Q4_0TiledTensor) {
                int cols = w.cols();
                if (pairs.length < nTokens * cols / 2) {
                    pairs = new int[nTokens * cols / 2];
                    xScales = new float[nTokens * cols / 32];
                    xScalesSegment = MemorySegment.ofArray(xScales);
                }
                if (VNNI) vnniBuffers();
                if (nTokens == 1) quantizeTask.run(0, 1);
                else pool.parallelFor(nTokens, quantizeTask);
                return;
            }
            if (w instanceof Q8_0TiledTensor) {
                int cols = w.cols();
                if (xScales.length < nTokens * cols / 32) {
                    xScales = new float[nTokens * cols / 32];
                    xScalesSegment = MemorySegment.ofArray(xScales);
                }
                vnniBuffers();
                if (nTokens == 1) quantizeBytesTask.run(0, 1);
                else pool.parallelFor(nTokens, quantizeBytesTask);
                return;
            }
            if (nTokens < 2 || nTokens > FEW_TOKENS || !Simd.ENABLED || !w.hasPackedKernels()) return;
            int cols = w.cols();
            int size = 0;
            for (int t0 = 0, n; t0 < nTokens; t0 += n, groups++) {
                // Five or six tokens go as 4 + 1 or 4 + 2: half-empty eight-slot tiles cost nearly a full one.
                int rest = nTokens - t0;
                n = rest >= 7 ? Math.min(MAX_SLOTS, rest) : rest >= 5 ? 4 : rest;
                int slots = n == 1 ? 1 : n == 2 ? 2 : n <= 4 ? 4 : 8;
                groupStart[groups] = t0;
                groupTokens[groups] = n;
                groupSlots[groups] = slots;
                groupOffset[groups] = size;
                size += slots == 1 ? 0 : slots * cols;
            }
            if (packed.length < size) packed = new float[size];
            int L = Simd.L;
            for (int g = 0; g < groups; g++) {
                int slots = groupSlots[g];
                if (slots == 1) continue;
                for (int c = 0; c < cols; c += L) {
                    int p = groupOffset[g] + c * slots;
                    for (int s = 0; s < slots; s++, p += L) {
                        int t = groupStart[g] + s;
                        if (s < groupTokens[g]) System.arraycopy(x, xOff + t * cols + c, packed, p, L);
                        else java.util.Arrays.fill(packed, p, p + L, 0f);
                    }
                }
            }
        }

        /** Room for this call's tokens in the native kernels' layout, and {@link #out} as a segment. */
        private void vnniBuffers() {
            int cols = w.cols();
            if (act.length < nTokens * cols / 4) {
                act = new int[nTokens * cols / 4];
                corr = new int[nTokens * cols / 32];
                actSegment = MemorySegment.ofArray(act);
                corrSegment = MemorySegment.ofArray(corr);
            }
            if (segmentOut != out) {
                segmentOut = out;
                outSegment = MemorySegment.ofArray(out);
            }
        }

        /*
         * One task object per path, each its own class: the pool's call to a task is megamorphic, so every path
         * is compiled on its own. In one method, C2 inlined the hot path's kernel together with the others and
         * ran out of its node budget inside the kernel, where every vector op then went out of line and boxed.
         */
        final ComputePool.RangeTask scalarTask = (s, e) -> scalar(r0(s), r1(e));
        final ComputePool.RangeTask oneTokenTask = (s, e) -> w.dotRows(r0(s), r1(e), x, xOff, out, outOff + r0(s));
        final ComputePool.RangeTask restoreTask = (s, e) -> {
            int cols = w.cols();
            for (int t = s; t < e; t++) ActivationQ8.roundTrip(x, xOff + t * cols, cols, restored, t * cols);
        };
        final ComputePool.RangeTask quantizeTask = (s, e) -> {
            int cols = w.cols();
            for (int t = s; t < e; t++) {
                ActivationQ8.quantize(x, xOff + t * cols, cols, pairs, t * cols / 2, xScales, t * cols / 32);
                if (VNNI) ActivationQ8.vnniBytes(pairs, t * cols / 2, cols, act, t * cols / 4, corr, t * cols / 32);
            }
        };
        final ComputePool.RangeTask quantizeBytesTask = (s, e) -> {
            int cols = w.cols();
            for (int t = s; t < e; t++) {
                ActivationQ8.quantizeBytes(x, xOff + t * cols, cols, act, t * cols / 4, corr, t * cols / 32, xScales,
                        t * cols / 32);
            }
        };
        final ComputePool.RangeTask tiledTask = (s, e) -> ((Q4_0TiledTensor) w).dotRowsQ8(r0(s), r1(e), pairs, 0,
                xScales, 0, nTokens, out, outOff + r0(s), w.rows());
        final ComputePool.RangeTask vnniTask = (s, e) -> ((Q4_0TiledTensor) w).dotRowsVnni(r0(s), r1(e),
                actSegment, corrSegment, xScalesSegment, nTokens, outSegment, outOff + r0(s), w.rows());
        final ComputePool.RangeTask q8VnniTask = (s, e) -> ((Q8_0TiledTensor) w).dotRowsVnni(r0(s), r1(e),
                actSegment, corrSegment, xScalesSegment, nTokens, outSegment, outOff + r0(s), w.rows());
        final ComputePool.RangeTask fusedTask = (s, e) -> fused(r0(s), r1(e));
        final ComputePool.RangeTask tilesTask = (s, e) -> {
            for (int c0 = r0(s), end = r1(e); c0 < end; c0 += CHUNK_ROWS) tiles(c0, Math.min(end, c0 + CHUNK_ROWS));
        };

        /** The path of this call (after {@link #pack}). */
        ComputePool.RangeTask task() {
            if (w instanceof Q8_0TiledTensor) return q8VnniTask;
            if (!Simd.ENABLED) return scalarTask;
            if (w instanceof Q4_0TiledTensor) {
                return VNNI ? vnniTask : nTokens >= TILED_FLOAT_TOKENS ? tilesTask : tiledTask;
            }
            if (nTokens == 1) return oneTokenTask;
            return groups > 0 ? fusedTask : tilesTask;
        }

        private static int r0(int startChunk) {
            return startChunk * CHUNK_ROWS;
        }

        private int r1(int endChunk) {
            return Math.min(w.rows(), endChunk * CHUNK_ROWS);
        }

        /** The fused groups over rows {@code [r0, r1)}: block by block, so each block is in cache for all groups. */
        private void fused(int r0, int r1) {
            if (groups == 1) {
                group(0, r0, r1);
                return;
            }
            for (int b0 = r0; b0 < r1; b0 += BLOCK_ROWS) {
                int b1 = Math.min(r1, b0 + BLOCK_ROWS);
                for (int g = 0; g < groups; g++) group(g, b0, b1);
            }
        }

        /** Fused group {@code g} over rows {@code [r0, r1)}. */
        private void group(int g, int r0, int r1) {
            int cols = w.cols();
            int rows = w.rows();
            int t0 = groupStart[g];
            int o = outOff + t0 * rows + r0;
            if (groupSlots[g] == 1) {
                w.dotRows(r0, r1, x, xOff + t0 * cols, out, o);
            } else {
                w.dotRowsPacked(r0, r1, packed, groupOffset[g], groupSlots[g], groupTokens[g], out, o, rows);
            }
        }

        /** Several tokens without fused kernels (prefill): rows {@code [c0, c1)} are dequantized once, then 4-row tiles go over all tokens. */
        private void tiles(int c0, int c1) {
            int cols = w.cols();
            float[] s = scratch(CHUNK_ROWS * cols);
            w.dequantizeRows(c0, c1, s, 0);
            // A partial last tile repeats its last row (in the panel and as output row), so it computes nothing stale.
            for (int r = c1; (r - c0) % 4 != 0; r++) System.arraycopy(s, (c1 - 1 - c0) * cols, s, (r - c0) * cols, cols);
            int last = c1 - 1;
            for (int t0 = 0, nt; t0 < nTokens; t0 += nt) {
                nt = tileTokens(nTokens - t0);
                for (int r = c0; r < c1; r += 4) {
                    tile(s, (r - c0) * cols, t0, nt, r, Math.min(r + 1, last), Math.min(r + 2, last),
                            Math.min(r + 3, last));
                }
            }
        }

        /**
         * Tokens of the next tile when {@code remaining ≥ 2} are left: four, but five go as 3 + 2, so no tile has
         * a single token. The tile kernels are all too large for C2 to inline into their caller, so each is
         * compiled on its own; a one-token tile kernel was small enough to be inlined next to the row decoder,
         * and the two together overran C2's node budget, leaving vector ops out of line and boxing.
         */
        private static int tileTokens(int remaining) {
            return remaining == 5 ? 3 : Math.min(4, remaining);
        }

        /** Panel rows at {@code p[w0 …]} (matrix rows {@code ra … rd}) × tokens {@code [t0, t0 + nt)}, {@code 2 ≤ nt ≤ 4}. */
        private void tile(float[] p, int w0, int t0, int nt, int ra, int rb, int rc, int rd) {
            int cols = w.cols();
            int rows = w.rows();
            int xt = xOff + t0 * cols;
            int o = outOff + t0 * rows;
            switch (nt) {
                case 4 -> TileKernels.rows4tokens4(p, w0, cols, x, xt, out, rows, o + ra, o + rb, o + rc, o + rd);
                case 3 -> TileKernels.rows4tokens3(p, w0, cols, x, xt, out, rows, o + ra, o + rb, o + rc, o + rd);
                default -> TileKernels.rows4tokens2(p, w0, cols, x, xt, out, rows, o + ra, o + rb, o + rc, o + rd);
            }
        }

        /** Without usable vectors (under 256 bits): the scalar decoder and a plain loop. */
        private void scalar(int r0, int r1) {
            int cols = w.cols();
            int rows = w.rows();
            float[] row = scratch(cols);
            for (int r = r0; r < r1; r++) {
                w.dequantizeRow(r, row, 0);
                for (int t = 0; t < nTokens; t++) {
                    float sum = 0f;
                    int xo = xOff + t * cols;
                    for (int c = 0; c < cols; c++) sum += row[c] * x[xo + c];
                    out[outOff + t * rows + r] = sum;
                }
            }
        }
    }

    /**
     * This thread's scratch of at least {@code floats} floats, grown on first use and then reused. The panel
     * scratch always has room for {@link #CHUNK_ROWS} rows, so a partial last tile can be padded with copies.
     */
    private static float[] scratch(int floats) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < floats) holder[0] = new float[floats];
        return holder[0];
    }
}
