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
}
