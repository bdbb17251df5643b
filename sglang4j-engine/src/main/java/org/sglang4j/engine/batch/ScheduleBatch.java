package org.sglang4j.engine.batch;

import java.util.List;
import org.sglang4j.engine.req.Req;

/**
 * One step's work as the scheduler decided it (SGLang {@code ScheduleBatch}, reduced to what a CPU runner
 * needs). Request {@code i} computes tokens {@code tokens[startPos[i] .. startPos[i] + extendLens[i])} of its
 * sequence; their KV slots are already allocated in {@code kvRows[i]} (the request's {@code ReqToTokenPool} row,
 * which holds the slots of every earlier position too). {@code extend[i]} marks a prefill (chunk) as opposed to a
 * one-token decode. A request whose step reaches the end of its known sequence gets its next token sampled unless
 * {@code sample[i]} is false (prefill-only requests).
 */
public record ScheduleBatch(ForwardMode mode, List<Req> reqs, int[] startPos, int[] extendLens, int[][] kvRows,
                            boolean[] extend, boolean[] sample) {

    public int size() {
        return reqs.size();
    }

    public int numTokens() {
        int n = 0;
        for (int e : extendLens) n += e;
        return n;
    }

    /** True when request {@code i} computes up to the end of its sequence, i.e. a next token follows. */
    public boolean reachesEnd(int i) {
        return startPos[i] + extendLens[i] == reqs.get(i).seqLen();
    }
}
