package org.sglang4j.core.kernel;

import java.util.Objects;
import org.sglang4j.core.tensor.Simd;
import org.sglang4j.core.tensor.Tensor;

/**
 * Batched matrix multiplication against a weight tensor: {@code out[t][r] = Σ_c w[r][c] · x[t][c]} for
 * {@code t < nTokens}, {@code r < w.rows()}. {@code x} is {@code [nTokens][w.cols()]} and {@code out} is
 * {@code [nTokens][w.rows()]}, both row-major. Work is split over output rows so every weight row is read once
 * for all tokens of the step.
 *
 * <p>Three paths, by token count:
 * <ul>
 *   <li>one token (single-sequence decode, memory-bound): each row is dequantized in registers and dotted with
 *       {@code x} ({@link Tensor#dotRows});
 *   <li>{@link #FUSED_MIN_TOKENS} to 8 tokens (batched decode) for types with a fused kernel (Q8_0, Q4_0): the
 *       tokens are packed once per call and every weight block is dequantized in registers once for all of them
 *       ({@link Tensor#dotRowsPacked8});
 *   <li>otherwise (few tokens of other types, prefill): a chunk of {@link #CHUNK_ROWS} rows is dequantized once
 *       into a per-thread float scratch (cache-resident, never the whole matrix) and {@link TileKernels} multiply
 *       4-row × 4-token tiles out of it.
 * </ul>
 * Every path reads each weight from memory once per call and decodes it once per call (the fused path: once per
 * eight tokens). Threads split the rows in {@link #CHUNK_ROWS}-row units; inside its range a thread reads two to
 * four rows from far-apart positions at once, because the hardware prefetchers sustain several sequential
 * streams per core but not enough bandwidth from one.
 */
public final class Matmul {
    private Matmul() {}

    /** Rows dequantized together and handed out to threads as one unit (a multiple of the 4-row tile). */
    static final int CHUNK_ROWS = Integer.getInteger("sglang4j.matmul.chunkRows", 16) / 4 * 4;

    /**
     * From this many tokens up to 8, types with a fused multi-token kernel ({@link Tensor#dotRowsPacked8}) use it
     * instead of the scratch tiles: it pays for all 8 token slots, but writes no dequantized values to memory.
     */
    static final int FUSED_MIN_TOKENS = Integer.getInteger("sglang4j.matmul.fusedMinTokens", 6);

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
        job.preparePacked();
        try {
            pool.parallelFor((rows + CHUNK_ROWS - 1) / CHUNK_ROWS, job);
        } finally {
            job.w = null;
            job.x = null;
            job.out = null;
        }
    }

    /** A per-calling-thread, reusable task: the hot path allocates nothing. */
    private static final class Job implements ComputePool.RangeTask {
        Tensor w;
        float[] x;
        int xOff;
        int nTokens;
        float[] out;
        int outOff;
        /** Whether this call uses the fused few-token path ({@link Tensor#dotRowsPacked8}). */
        boolean packed8;
        /** The tokens packed for that path: eight slots, vector by vector. */
        float[] packed = new float[0];

        /** Picks the fused path for {@link #FUSED_MIN_TOKENS}..8 tokens and packs x for it. */
        void preparePacked() {
            packed8 = nTokens >= FUSED_MIN_TOKENS && nTokens <= 8 && Simd.ENABLED && w.hasPacked8Kernel();
            if (!packed8) return;
            int cols = w.cols();
            int L = Simd.L;
            if (packed.length < 8 * cols) packed = new float[8 * cols];
            for (int c = 0; c < cols; c += L) {
                int p = c * 8;
                for (int t = 0; t < 8; t++, p += L) {
                    if (t < nTokens) System.arraycopy(x, xOff + t * cols + c, packed, p, L);
                    else java.util.Arrays.fill(packed, p, p + L, 0f);
                }
            }
        }

        @Override
        public void run(int startChunk, int endChunk) {
            int rows = w.rows();
            int r0 = startChunk * CHUNK_ROWS;
            int r1 = Math.min(rows, endChunk * CHUNK_ROWS);
            if (!Simd.ENABLED) {
                scalar(r0, r1);
            } else if (nTokens == 1) {
                w.dotRows(r0, r1, x, xOff, out, outOff + r0);
            } else if (packed8 && w.dotRowsPacked8(r0, r1, packed, nTokens, out, outOff + r0, rows)) {
                return;
            } else {
                for (int c0 = r0; c0 < r1; c0 += CHUNK_ROWS) tiles(c0, Math.min(r1, c0 + CHUNK_ROWS));
            }
        }

        /** Dequantizes rows {@code [c0, c1)} once, then multiplies 4×4 tiles (rows × tokens) out of the scratch. */
        private void tiles(int c0, int c1) {
            int cols = w.cols();
            int rows = w.rows();
            float[] s = scratch(CHUNK_ROWS * cols);
            w.dequantizeRows(c0, c1, s, 0);
            for (int t0 = 0; t0 < nTokens; t0 += 4) {
                int nt = Math.min(4, nTokens - t0);
                int xt = xOff + t0 * cols;
                for (int r = c0; r < c1; r += 4) {
                    int nr = Math.min(4, c1 - r);
                    int ws = (r - c0) * cols;
                    int o = outOff + t0 * rows + r;
                    switch (nt) {
                        case 4 -> TileKernels.rows4tokens4(s, ws, cols, x, xt, out, o, rows, nr);
                        case 3 -> TileKernels.rows4tokens3(s, ws, cols, x, xt, out, o, rows, nr);
                        case 2 -> TileKernels.rows4tokens2(s, ws, cols, x, xt, out, o, rows, nr);
                        default -> TileKernels.rows4tokens1(s, ws, cols, x, xt, out, o, rows, nr);
                    }
                }
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
     * This thread's scratch of at least {@code floats} floats, grown on first use and then reused. The tile scratch
     * always has room for {@link #CHUNK_ROWS} rows, so the partial last tile of a matrix reads stale rows whose
     * results are never stored.
     */
    private static float[] scratch(int floats) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < floats) holder[0] = new float[floats];
        return holder[0];
    }
}
