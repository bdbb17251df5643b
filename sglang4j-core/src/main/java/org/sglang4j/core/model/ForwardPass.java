package org.sglang4j.core.model;

import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.kernel.Matmul;
import org.sglang4j.core.kernel.RmsNorm;
import org.sglang4j.core.kernel.Rope;
import org.sglang4j.core.kernel.SiluGlu;

/**
 * The Llama-family decoder forward over a ragged batch. Per layer, for all new tokens of the step at once:
 * <pre>
 * xb = rmsnorm(x)  →  q,k,v = Wq·xb, Wk·xb, Wv·xb (+ bias)  →  (per-head q/k rmsnorm)  →  RoPE at each position
 *   →  K/V to outCacheLoc  →  causal attention over the sequence's kvSlots  →  x += Wo·att
 * xb = rmsnorm(x)  →  x += Wdown·(silu(Wgate·xb) ⊙ Wup·xb)
 * </pre>
 * then the final norm and the output projection for the logit rows only. Matmuls see every token of the step,
 * so each weight row is read once per step; attention runs in parallel over (run of a sequence's tokens, KV-head
 * group).
 */
final class ForwardPass {
    /** Below this many tokens, element-wise work is cheaper than handing it to other threads. */
    private static final int PARALLEL_TOKENS = 4;
    /** Attention scratch rows per compute thread (see {@link #attention}). */
    private static final int LANES_PER_THREAD = 4;
    /** Most query tokens of one sequence attended together, sharing every widened K/V block (an extend's run). */
    static final int RUN_TOKENS = 8;

    private final ModelConfig c;
    private final Weights w;
    private final float[] invFreq;
    private final float attentionScale;

    ForwardPass(ModelConfig config, Weights weights) {
        this.c = config;
        this.w = weights;
        this.invFreq = config.ropeInverseFrequencies(weights.ropeFreqFactors());
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /** Runs {@code b}; logit row {@code r} goes to {@code logits[logitsOff + r · vocab, +vocab)}. */
    void run(ForwardBatch b, KvCache kv, ForwardState st, float[] logits, int logitsOff, ComputePool pool) {
        int n = b.numTokens();
        validate(b, kv, st, logits, logitsOff);
        if (n == 0) return;
        int dim = c.dim();
        int half = c.ropeDim() / 2;
        for (int s = 0; s < b.numSeqs(); s++) {
            for (int t = b.seqStarts()[s]; t < b.seqStarts()[s + 1]; t++) st.tokenSeq[t] = s;
        }
        runs(b, st);
        forTokens(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                w.tokenEmbedding().dequantizeRow(b.tokenIds()[t], st.x, t * dim);
                Rope.angles(invFreq, b.positions()[t], st.ropeCos, st.ropeSin, t * half);
            }
        });

        int rows = n;
        int[] logitTokens = b.logitTokens();
        for (int l = 0; l < c.nLayers(); l++) {
            LayerWeights lw = w.layers().get(l);
            attention(l, lw, b, kv, st, pool);
            if (l == c.nLayers() - 1 && logitTokens.length < n) {
                // Only the logit rows matter after the last attention: drop the others before Wo and the FFN.
                compactRows(st, logitTokens);
                rows = logitTokens.length;
            }
            // Wo's output goes to xb: its normed input was consumed by the q/k/v projections.
            Matmul.matmul(lw.wo(), st.att, rows, st.xb, pool);
            addInPlace(st.x, st.xb, rows * dim);
            feedForward(lw, st, rows, pool);
        }

        int nLogits = logitTokens.length;
        if (nLogits == 0) return;
        boolean compacted = rows < n;
        for (int r = 0; r < nLogits; r++) {
            int src = (compacted ? r : logitTokens[r]) * dim;
            RmsNorm.row(st.logitIn, r * dim, st.x, src, w.outputNorm(), dim, c.rmsNormEps());
        }
        Matmul.matmul(w.output(), st.logitIn, 0, nLogits, logits, logitsOff, pool);
    }

    private void attention(int l, LayerWeights lw, ForwardBatch b, KvCache kv, ForwardState st, ComputePool pool) {
        int n = b.numTokens();
        int qDim = c.qDim();
        int kvDim = c.kvDim();
        int headDim = c.headDim();
        int half = c.ropeDim() / 2;
        normRows(st.xb, st.x, lw.attnNorm(), n, c.dim(), pool);
        Matmul.matmul(lw.wq(), st.xb, n, st.q, pool);
        Matmul.matmul(lw.wk(), st.xb, n, st.k, pool);
        Matmul.matmul(lw.wv(), st.xb, n, st.v, pool);
        forTokens(pool, n, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int qo = t * qDim;
                int ko = t * kvDim;
                if (lw.bq() != null) {
                    addInPlace(st.q, qo, lw.bq(), qDim);
                    addInPlace(st.k, ko, lw.bk(), kvDim);
                    addInPlace(st.v, ko, lw.bv(), kvDim);
                }
                if (lw.qNorm() != null) {
                    for (int h = 0; h < c.nHeads(); h++) {
                        RmsNorm.row(st.q, qo + h * headDim, st.q, qo + h * headDim, lw.qNorm(), headDim, c.rmsNormEps());
                    }
                    for (int h = 0; h < c.nKvHeads(); h++) {
                        RmsNorm.row(st.k, ko + h * headDim, st.k, ko + h * headDim, lw.kNorm(), headDim, c.rmsNormEps());
                    }
                }
                Rope.rotate(st.q, qo, c.nHeads(), headDim, c.ropeDim(), c.ropeNeox(), st.ropeCos, st.ropeSin, t * half);
                Rope.rotate(st.k, ko, c.nKvHeads(), headDim, c.ropeDim(), c.ropeNeox(), st.ropeCos, st.ropeSin, t * half);
                kv.write(l, b.outCacheLoc()[t], st.k, ko, st.v, ko);
            }
        });

        // Attention tasks are (run, kv head, slice of its query-head group): a run is up to RUN_TOKENS consecutive
        // tokens of one sequence (one token when decoding), and a task reads each K/V row once for all its tokens
        // and heads. Groups are sliced only when there are fewer (run, kv head) pairs than threads (one decoding
        // sequence).
        int group = c.nHeads() / c.nKvHeads();
        int threads = pool.threads();
        int pairs = st.runs * c.nKvHeads();
        int slices = Math.min(group, Math.max(1, (threads + pairs - 1) / pairs));
        int tasks = pairs * slices;
        // Tasks are dealt round-robin into a few lanes per thread; each lane owns one scratch row and runs on one
        // thread at a time, and the pool hands lanes out dynamically, so a slow thread does not stall the step.
        int lanes = Math.min(tasks, threads * LANES_PER_THREAD);
        int maxRun = 0;
        for (int r = 0; r < st.runs; r++) maxRun = Math.max(maxRun, st.runStart[r + 1] - st.runStart[r]);
        float[][] scores = st.scores(lanes, maxRun * group * maxSeqLen(b));
        pool.parallelFor(lanes, (l0, l1) -> {
            for (int lane = l0; lane < l1; lane++) {
                for (int task = lane; task < tasks; task += lanes) {
                    int pair = task / slices;
                    int slice = task - pair * slices;
                    int run = pair / c.nKvHeads();
                    int kvHead = pair - run * c.nKvHeads();
                    int h0 = kvHead * group + slice * group / slices;
                    int h1 = kvHead * group + (slice + 1) * group / slices;
                    int t = st.runStart[run];
                    int off = t * qDim + h0 * headDim;
                    kv.attend(l, st.q, off, qDim, st.runStart[run + 1] - t, h1 - h0, kvHead * headDim,
                            b.kvSlots()[st.tokenSeq[t]], b.positions()[t] + 1, headDim, attentionScale, scores[lane],
                            st.att, off);
                }
            }
        });
    }

    /** Splits the step's tokens into attention runs: consecutive positions of one sequence, at most RUN_TOKENS. */
    private static void runs(ForwardBatch b, ForwardState st) {
        int n = b.numTokens();
        int runs = 0;
        for (int t = 0; t < n; t++) {
            boolean continues = t > 0 && st.tokenSeq[t] == st.tokenSeq[t - 1]
                    && b.positions()[t] == b.positions()[t - 1] + 1 && t - st.runStart[runs - 1] < RUN_TOKENS;
            if (!continues) st.runStart[runs++] = t;
        }
        st.runStart[runs] = n;
        st.runs = runs;
    }

    /**
     * {@code x += down(silu(gate·xb) ⊙ up·xb)} with {@code xb = rmsnorm(x)}, in passes of {@code FFN_CHUNK} rows. Each
     * pass adds its rows to {@code x} at once: the later passes read {@code xb}, not {@code x}, so the output needs
     * only a pass-sized buffer.
     */
    private void feedForward(LayerWeights lw, ForwardState st, int rows, ComputePool pool) {
        int dim = c.dim();
        int hidden = c.hiddenDim();
        normRows(st.xb, st.x, lw.ffnNorm(), rows, dim, pool);
        for (int r0 = 0; r0 < rows; r0 += ForwardState.FFN_CHUNK) {
            int n = Math.min(ForwardState.FFN_CHUNK, rows - r0);
            Matmul.matmul(lw.gate(), st.xb, r0 * dim, n, st.hb, 0, pool);
            Matmul.matmul(lw.up(), st.xb, r0 * dim, n, st.hb2, 0, pool);
            forTokens(pool, n, (t0, t1) -> SiluGlu.apply(st.hb, t0 * hidden, st.hb2, t0 * hidden, (t1 - t0) * hidden));
            Matmul.matmul(lw.down(), st.hb, 0, n, st.xb2, 0, pool);
            addInPlace(st.x, r0 * dim, st.xb2, n * dim);
        }
    }

    /** Moves the residual and attention rows of {@code logitTokens} (ascending) to rows 0, 1, …. */
    private void compactRows(ForwardState st, int[] logitTokens) {
        int dim = c.dim();
        int qDim = c.qDim();
        for (int r = 0; r < logitTokens.length; r++) {
            int t = logitTokens[r];
            if (t == r) continue;
            System.arraycopy(st.x, t * dim, st.x, r * dim, dim);
            System.arraycopy(st.att, t * qDim, st.att, r * qDim, qDim);
        }
    }

    private void normRows(float[] out, float[] x, float[] weight, int rows, int width, ComputePool pool) {
        forTokens(pool, rows, (r0, r1) -> {
            for (int r = r0; r < r1; r++) RmsNorm.row(out, r * width, x, r * width, weight, width, c.rmsNormEps());
        });
    }

    private static void forTokens(ComputePool pool, int n, ComputePool.RangeTask task) {
        if (n < PARALLEL_TOKENS) task.run(0, n);
        else pool.parallelFor(n, task);
    }

    private static void addInPlace(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) x[i] += y[i];
    }

    private static void addInPlace(float[] x, int off, float[] y, int n) {
        for (int i = 0; i < n; i++) x[off + i] += y[i];
    }

    private static int maxSeqLen(ForwardBatch b) {
        int max = 0;
        for (int p : b.positions()) max = Math.max(max, p + 1);
        return max;
    }

    private void validate(ForwardBatch b, KvCache kv, ForwardState st, float[] logits, int logitsOff) {
        int n = b.numTokens();
        if (!st.config.equals(c)) throw new IllegalArgumentException("ForwardState was made for another model config");
        if (!kv.matches(c)) throw new IllegalArgumentException("KvCache was made for another model config");
        if (n > st.maxTokens) {
            throw new IllegalArgumentException("batch has " + n + " tokens, ForwardState holds at most " + st.maxTokens);
        }
        int[] lt = b.logitTokens();
        if (lt.length > st.maxLogitRows) {
            throw new IllegalArgumentException("batch asks for " + lt.length + " logit rows, ForwardState holds at most "
                    + st.maxLogitRows);
        }
        for (int r = 0; r < lt.length; r++) {
            if (lt[r] < 0 || lt[r] >= n || (r > 0 && lt[r] <= lt[r - 1])) {
                throw new IllegalArgumentException("logitTokens must be ascending token indices in [0, " + n + "), got "
                        + java.util.Arrays.toString(lt));
            }
        }
        if (logitsOff < 0 || logitsOff + (long) lt.length * c.vocabSize() > logits.length) {
            throw new IllegalArgumentException("logits array has " + logits.length + " floats, needs " + lt.length
                    + " x vocab " + c.vocabSize() + (logitsOff == 0 ? "" : " from offset " + logitsOff));
        }
        for (int s = 0; s < b.numSeqs(); s++) {
            int[] slots = b.kvSlots()[s];
            int start = b.seqStarts()[s];
            int end = b.seqStarts()[s + 1];
            if (end < start) throw new IllegalArgumentException("seqStarts must be non-decreasing");
            int seqLen = end > start ? b.seqLen(s) : 0;
            if (seqLen > slots.length) {
                throw new IllegalArgumentException("sequence " + s + " has length " + seqLen + " but " + slots.length
                        + " kvSlots");
            }
            for (int i = 0; i < seqLen; i++) {
                if (slots[i] < 0 || slots[i] >= kv.capacity()) {
                    throw new IllegalArgumentException("kvSlots[" + s + "][" + i + "] = " + slots[i]
                            + " outside KV cache [0, " + kv.capacity() + ")");
                }
            }
            for (int t = start; t < end; t++) {
                int token = b.tokenIds()[t];
                int pos = b.positions()[t];
                int loc = b.outCacheLoc()[t];
                if (token < 0 || token >= c.vocabSize()) {
                    throw new IllegalArgumentException("token id " + token + " outside vocabulary [0, " + c.vocabSize() + ")");
                }
                if (pos < 0 || pos >= slots.length) {
                    throw new IllegalArgumentException("token " + t + " of sequence " + s + " at position " + pos
                            + " but the sequence has " + slots.length + " kvSlots");
                }
                if (loc < 0 || loc >= kv.capacity()) {
                    throw new IllegalArgumentException("outCacheLoc " + loc + " outside KV cache [0, " + kv.capacity() + ")");
                }
                if (slots[pos] != loc) {
                    throw new IllegalArgumentException("token " + t + ": outCacheLoc " + loc + " != kvSlots[" + s + "]["
                            + pos + "] = " + slots[pos]);
                }
            }
        }
    }
}
