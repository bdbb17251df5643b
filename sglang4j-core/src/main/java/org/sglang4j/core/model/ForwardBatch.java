package org.sglang4j.core.model;

/**
 * One forward step over a ragged batch: several sequences, each contributing its new tokens (a prefill chunk
 * or one decode token), computed together so every weight matrix is read once per step.
 *
 * <pre>
 * token arrays (numTokens):  | seq 0 new tokens | seq 1 new tokens | ... |
 * seqStarts (numSeqs + 1):    0                  s1                 s2 ... numTokens
 * kvSlots[s]:                 KV slot of every position 0 .. seqLen(s)-1 of sequence s (cached prefix + new)
 * </pre>
 *
 * Token {@code t} of sequence {@code s} sits at {@code positions[t]}, writes its K/V to {@code outCacheLoc[t]}
 * (which equals {@code kvSlots[s][positions[t]]}) and attends causally to {@code kvSlots[s][0 .. positions[t]]}.
 * Logits are produced only for the token indices in {@code logitTokens} (ascending), usually the last new token
 * of each sequence; all of them when prompt logprobs are requested.
 */
public record ForwardBatch(int[] tokenIds, int[] positions, int[] outCacheLoc, int[] seqStarts, int[][] kvSlots,
                           int[] logitTokens) {

    public ForwardBatch {
        int n = tokenIds.length;
        if (positions.length != n || outCacheLoc.length != n) {
            throw new IllegalArgumentException("tokenIds, positions and outCacheLoc must have the same length");
        }
        if (seqStarts.length != kvSlots.length + 1 || seqStarts[0] != 0 || seqStarts[kvSlots.length] != n) {
            throw new IllegalArgumentException("seqStarts must run from 0 to numTokens with numSeqs + 1 entries");
        }
    }

    public int numTokens() {
        return tokenIds.length;
    }

    public int numSeqs() {
        return kvSlots.length;
    }

    /** Length of sequence {@code s} after this step (cached prefix + new tokens). */
    public int seqLen(int s) {
        return positions[seqStarts[s + 1] - 1] + 1;
    }

    /**
     * Tokens {@code [t0, t1)} as a batch of their own: the sequences they belong to (with their whole slot lists),
     * and those of {@code logitTokens} among them, renumbered from {@code t0}. Run after the tokens before
     * {@code t0} (whose K/V a cut sequence attends to), it computes what this batch computes for these tokens.
     */
    public ForwardBatch slice(int t0, int t1) {
        int n = numTokens();
        if (t0 < 0 || t1 > n || t0 >= t1) {
            throw new IllegalArgumentException("token range [" + t0 + ", " + t1 + ") is not inside [0, " + n + ")");
        }
        int seqs = 0;
        for (int s = 0; s < numSeqs(); s++) if (seqStarts[s] < t1 && seqStarts[s + 1] > t0) seqs++;
        int[] starts = new int[seqs + 1];
        int[][] slots = new int[seqs][];
        int k = 0;
        for (int s = 0; s < numSeqs(); s++) {
            if (seqStarts[s] < t1 && seqStarts[s + 1] > t0) {
                slots[k] = kvSlots[s];
                starts[++k] = Math.min(seqStarts[s + 1], t1) - t0;
            }
        }
        int from = 0;
        while (from < logitTokens.length && logitTokens[from] < t0) from++;
        int to = from;
        while (to < logitTokens.length && logitTokens[to] < t1) to++;
        int[] logits = new int[to - from];
        for (int r = from; r < to; r++) logits[r - from] = logitTokens[r] - t0;
        return new ForwardBatch(java.util.Arrays.copyOfRange(tokenIds, t0, t1),
                java.util.Arrays.copyOfRange(positions, t0, t1), java.util.Arrays.copyOfRange(outCacheLoc, t0, t1),
                starts, slots, logits);
    }
}
