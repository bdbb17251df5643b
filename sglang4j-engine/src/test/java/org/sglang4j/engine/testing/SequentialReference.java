package org.sglang4j.engine.testing;

import java.util.Arrays;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;

/**
 * Greedy decoding without any engine machinery: one sequence, one token per forward, KV slot = position in a
 * private cache, argmax with the lowest id on ties. What the engine produces through radix sharing, batching,
 * chunking and retraction must equal this.
 */
public final class SequentialReference {
    private final Model model;
    private final ComputePool pool;

    public SequentialReference(Model model, ComputePool pool) {
        this.model = model;
        this.pool = pool;
    }

    public int[] greedy(int[] prompt, int maxNew, int[] eosIds, boolean ignoreEos) {
        var c = model.config();
        int cap = prompt.length + maxNew;
        KvCache kv = new KvCache(c, cap, KvDtype.F32);
        ForwardState state = new ForwardState(c, 1, 1);
        float[] logits = new float[c.vocabSize()];
        int[] slots = new int[cap];
        for (int i = 0; i < cap; i++) slots[i] = i;
        int[] out = new int[maxNew];
        int n = 0;
        int token = prompt[0];
        for (int pos = 0; pos < cap - 1; pos++) {
            ForwardBatch b = new ForwardBatch(new int[] {token}, new int[] {pos}, new int[] {pos}, new int[] {0, 1},
                    new int[][] {slots}, new int[] {0});
            model.forward(b, kv, state, logits, pool);
            if (pos + 1 < prompt.length) {
                token = prompt[pos + 1];
                continue;
            }
            int best = 0;
            for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
            out[n++] = best;
            token = best;
            if (n == maxNew || (!ignoreEos && contains(eosIds, best))) break;
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
