package org.sglang4j.core.model;

/**
 * Every scratch buffer one forward step needs, sized for at most {@code maxTokens} new tokens and
 * {@code maxLogitRows} logit rows, allocated once so the decode loop allocates nothing. Used by one thread at a
 * time (the one calling {@link Model#forward}); the kernels it starts get disjoint parts of each buffer.
 *
 * <pre>
 * x, xb:         [token][dim]        residual stream; normed input, then Wo's output
 * xb2:           [token][dim]        FFN output, for at most FFN_CHUNK tokens at a time
 * q = att:       [token][nHeads * headDim]  queries, overwritten head by head with the attention output
 * k, v:          [token][nKvHeads * headDim]
 * hb, hb2:       [token][hiddenDim]  FFN gate and up, for at most FFN_CHUNK tokens at a time
 * ropeCos/Sin:   [token][ropeDim / 2]
 * logitIn = xb:  [logit row][dim]    final-normed rows that get logits
 * scores:        [lane][group * seqLen]  attention probabilities of one GQA group, a few lanes per thread
 * </pre>
 * Buffers are reused once their contents are dead, which keeps a state for many tokens a third smaller:
 * {@code att} is {@code q} (each attention task reads its heads' queries completely before it writes their output,
 * see {@code Attention.attend}), {@code xb} takes Wo's output after the q/k/v projections have read it,
 * {@code logitIn} is {@code xb} (the last layer's FFN input is not needed once the final norm runs), and the FFN
 * adds each pass's output to {@code x} at once, so {@code xb2} is pass-sized.
 */
public final class ForwardState {
    /**
     * Tokens per FFN pass. The gate/up activations are hiddenDim wide (5× the residual for Qwen2.5), so for a
     * whole 2k-token prefill chunk they were most of this state (90 MB at 0.5B); in passes of this many tokens
     * they stay 10 MB, and re-reading the FFN weights once per pass (7 MB a layer at Q4_0, against 7 GFLOP of
     * work) costs nothing measurable: a 2048-token Q4_0 prefill took 12.6 s in passes of 256 and 12.9 s in
     * passes of 512 (best of 6 each, 2 threads).
     */
    static final int FFN_CHUNK = 256;
    /** Smallest score row: a 4-head group over 1k positions. */
    private static final int MIN_SCORES = 4096;

    final ModelConfig config;
    final int maxTokens;
    final int maxLogitRows;
    final float[] x;
    final float[] xb;
    final float[] xb2;
    final float[] q;
    final float[] k;
    final float[] v;
    final float[] att;
    final float[] hb;
    final float[] hb2;
    final float[] ropeCos;
    final float[] ropeSin;
    final float[] logitIn;
    final int[] tokenSeq;
    /** Attention runs of this step (see {@code ForwardPass.attention}): run r is tokens {@code [runStart[r], runStart[r + 1])}. */
    final int[] runStart;
    int runs;
    private float[][] scores = new float[0][];

    public ForwardState(ModelConfig c, int maxTokens, int maxLogitRows) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        if (maxLogitRows < 1 || maxLogitRows > maxTokens) {
            throw new IllegalArgumentException("maxLogitRows must be in [1, maxTokens=" + maxTokens + "], got "
                    + maxLogitRows);
        }
        this.config = c;
        this.maxTokens = maxTokens;
        this.maxLogitRows = maxLogitRows;
        x = new float[Math.multiplyExact(maxTokens, c.dim())];
        xb = new float[x.length];
        xb2 = new float[Math.multiplyExact(Math.min(maxTokens, FFN_CHUNK), c.dim())];
        q = new float[Math.multiplyExact(maxTokens, c.qDim())];
        att = q;
        k = new float[Math.multiplyExact(maxTokens, c.kvDim())];
        v = new float[k.length];
        hb = new float[Math.multiplyExact(Math.min(maxTokens, FFN_CHUNK), c.hiddenDim())];
        hb2 = new float[hb.length];
        ropeCos = new float[maxTokens * (c.ropeDim() / 2)];
        ropeSin = new float[ropeCos.length];
        logitIn = xb;
        tokenSeq = new int[maxTokens];
        runStart = new int[maxTokens + 1];
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int maxLogitRows() {
        return maxLogitRows;
    }

    /**
     * Attention score rows, one per lane, of at least {@code len} entries (a GQA group's heads × sequence length).
     * Grows to the next power of two when a longer sequence comes (a few times as sequences lengthen, then never),
     * rather than to the model's whole context at once: at 32k context and 16 threads that would be tens of MB
     * held for sequences that are mostly far shorter.
     */
    float[][] scores(int lanes, int len) {
        if (scores.length < lanes || scores[0].length < len) {
            int rowLen = Math.max(MIN_SCORES, Math.max(scores.length == 0 ? 0 : scores[0].length,
                    len > 1 << 30 ? len : Integer.highestOneBit(len - 1) << 1));
            float[][] grown = new float[Math.max(lanes, scores.length)][];
            for (int w = 0; w < grown.length; w++) grown[w] = new float[rowLen];
            scores = grown;
        }
        return scores;
    }
}
