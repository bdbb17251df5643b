package org.sglang4j.bench.onebatch;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;

/**
 * Times {@link Model#forward} directly (no scheduler, no sampling beyond argmax): one ragged prefill of all
 * sequences, then single-token decode steps over the whole batch. Every sequence owns a contiguous run of KV slots
 * (slot 0 stays unused, as the engine's allocator reserves it). Buffers are allocated once per case, outside the
 * timed region.
 *
 * <pre>
 * KV slots of sequence s:  1 + s * (inputLen + outputLen) ... + inputLen + outputLen - 1
 * </pre>
 */
public final class OneBatchRunner {
    private final Model model;
    private final ComputePool pool;
    private final KvDtype kvDtype;
    private final long seed;

    public OneBatchRunner(Model model, ComputePool pool, KvDtype kvDtype, long seed) {
        this.model = model;
        this.pool = pool;
        this.kvDtype = kvDtype;
        this.seed = seed;
    }

    /** Runs {@code warmups} untimed passes (at most 8 output tokens each), then {@code repetitions} timed ones. */
    public OneBatchResult run(OneBatchCase c, int warmups, int repetitions) {
        if (repetitions < 1) throw new IllegalArgumentException("--repeat must be >= 1, got " + repetitions);
        int b = c.batchSize();
        int seqCapacity = c.inputLen() + c.outputLen();
        var cfg = model.config();
        double[] prefill = new double[repetitions];
        double[] total = new double[repetitions];
        double[] steps = new double[repetitions * c.decodeSteps()];
        try (KvCache kv = new KvCache(cfg, 1 + b * seqCapacity, kvDtype)) {
            ForwardState state = new ForwardState(cfg, b * c.inputLen(), b);
            float[] logits = new float[b * cfg.vocabSize()];
            int[][] slots = new int[b][seqCapacity];
            for (int s = 0; s < b; s++) {
                for (int i = 0; i < seqCapacity; i++) slots[s][i] = 1 + s * seqCapacity + i;
            }
            OneBatchCase warm = new OneBatchCase(b, c.inputLen(), Math.min(c.outputLen(), 8));
            for (int w = 0; w < warmups; w++) pass(warm, kv, state, logits, slots, new double[warm.decodeSteps()], w);

            for (int r = 0; r < repetitions; r++) {
                double[] stepTimes = new double[c.decodeSteps()];
                long t0 = System.nanoTime();
                prefill[r] = pass(c, kv, state, logits, slots, stepTimes, 1000 + r);
                total[r] = (System.nanoTime() - t0) / 1e9;
                System.arraycopy(stepTimes, 0, steps, r * stepTimes.length, stepTimes.length);
            }
        }
        double prefillS = median(prefill);
        double decodeS = steps.length == 0 ? Double.NaN : median(steps);
        double totalS = median(total);
        return OneBatchResult.of(b, c.inputLen(), c.outputLen(), repetitions, prefillS, decodeS, totalS);
    }

    /** One prefill + decode pass; returns the prefill seconds and fills {@code stepTimes} with decode step seconds. */
    private double pass(OneBatchCase c, KvCache kv, ForwardState state, float[] logits, int[][] slots,
                        double[] stepTimes, int salt) {
        int b = c.batchSize();
        int p = c.inputLen();
        SplittableRandom rnd = new SplittableRandom(seed * 7919 + salt);
        int n = b * p;
        int[] tokens = new int[n];
        int[] positions = new int[n];
        int[] loc = new int[n];
        int[] starts = new int[b + 1];
        int[] logitRows = new int[b];
        for (int s = 0; s < b; s++) {
            starts[s + 1] = (s + 1) * p;
            logitRows[s] = (s + 1) * p - 1;
            for (int i = 0; i < p; i++) {
                int t = s * p + i;
                tokens[t] = rnd.nextInt(model.config().vocabSize());
                positions[t] = i;
                loc[t] = slots[s][i];
            }
        }
        ForwardBatch prefill = new ForwardBatch(tokens, positions, loc, starts, slots, logitRows);
        long t0 = System.nanoTime();
        model.forward(prefill, kv, state, logits, pool);
        double prefillSeconds = (System.nanoTime() - t0) / 1e9;

        int[] next = new int[b];
        int[] pos = new int[b];
        int[] stepLoc = new int[b];
        int[] stepStarts = new int[b + 1];
        int[] all = new int[b];
        for (int s = 0; s < b; s++) {
            stepStarts[s + 1] = s + 1;
            all[s] = s;
        }
        for (int step = 0; step < stepTimes.length; step++) {
            argmax(logits, b, model.config().vocabSize(), next);
            for (int s = 0; s < b; s++) {
                pos[s] = p + step;
                stepLoc[s] = slots[s][p + step];
            }
            ForwardBatch decode = new ForwardBatch(next, pos, stepLoc, stepStarts, slots, all);
            long s0 = System.nanoTime();
            model.forward(decode, kv, state, logits, pool);
            stepTimes[step] = (System.nanoTime() - s0) / 1e9;
        }
        return prefillSeconds;
    }

    /** Greedy next token of every row (the cheapest sampler; sampling cost is not what this measures). */
    static void argmax(float[] logits, int rows, int vocab, int[] out) {
        for (int r = 0; r < rows; r++) {
            int best = 0;
            int off = r * vocab;
            for (int i = 1; i < vocab; i++) if (logits[off + i] > logits[off + best]) best = i;
            out[r] = best;
        }
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
