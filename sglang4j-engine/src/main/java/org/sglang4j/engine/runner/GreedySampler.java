package org.sglang4j.engine.runner;

import org.sglang4j.engine.req.Req;

/**
 * Placeholder until core.sampling's {@code Sampler} lands: argmax of the row (lowest id on ties), with EOS and
 * stop token ids masked until {@code min_new_tokens} is reached.
 * TODO(issue 5): replace with the core Sampler (penalties, grammar mask, temperature/top-k/top-p, seeded RNG).
 */
final class GreedySampler {
    private final int[] eosIds;

    GreedySampler(int[] eosIds) {
        this.eosIds = eosIds.clone();
    }

    int sample(float[] logits, int off, int vocab, Req req) {
        boolean maskStops = req.outputLen() < req.sampling().minNewTokens();
        int best = -1;
        float bestV = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits[off + i];
            if (v > bestV && !(maskStops && isStop(i, req))) {
                best = i;
                bestV = v;
            }
        }
        return best < 0 ? 0 : best;
    }

    private boolean isStop(int id, Req req) {
        for (int e : eosIds) if (e == id) return true;
        for (int e : req.sampling().stopTokenIds()) if (e == id) return true;
        return false;
    }
}
