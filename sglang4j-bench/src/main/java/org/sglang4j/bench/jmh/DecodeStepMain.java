package org.sglang4j.bench.jmh;

import java.nio.file.Path;
import java.util.Arrays;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelLoader;

/**
 * Whole decode steps of a real model file ({@link Model#forward}) for a batch of sequences that already hold
 * {@code context} tokens, without running their prefill: the KV cache stays zero (but every page is written once,
 * so it is real memory), which costs the attention kernels exactly what real values would. For profiling a step
 * (e.g. under perf) and for quick step timings:
 * {@code DecodeStepMain MODEL.gguf [--batch=1,8] [--context=512] [--extend=1] [--threads=2] [--millis=3000] [--kv=f16]}.
 * With {@code --extend=N} every sequence adds N tokens per step (an extend after a prefix-cache hit, as a new
 * chat turn does) instead of one.
 */
public final class DecodeStepMain {
    private DecodeStepMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int[] batches = {1, 8};
        int context = 512;
        int threads = 2;
        long millis = 3000;
        KvDtype dtype = KvDtype.F16;
        int extend = 1;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--batch=")) batches = Arrays.stream(a.substring(8).split(",")).mapToInt(Integer::parseInt).toArray();
            else if (a.startsWith("--context=")) context = Integer.parseInt(a.substring(10));
            else if (a.startsWith("--extend=")) extend = Integer.parseInt(a.substring(9));
            else if (a.startsWith("--threads=")) threads = Integer.parseInt(a.substring(10));
            else if (a.startsWith("--millis=")) millis = Long.parseLong(a.substring(9));
            else if (a.startsWith("--kv=")) dtype = KvDtype.valueOf(a.substring(5).toUpperCase(java.util.Locale.ROOT));
            else throw new IllegalArgumentException("unknown argument " + a);
        }
        try (Model m = ModelLoader.load(file); ComputePool pool = new ComputePool(threads)) {
            for (int b : batches) {
                double ms = stepMillis(m, b, context, extend, dtype, pool, millis);
                System.out.printf("batch %2d, context %d, extend %d: %7.2f ms/step  %7.1f tok/s%n", b, context, extend,
                        ms, b * extend * 1e3 / ms);
            }
        }
    }

    private static double stepMillis(Model m, int b, int context, int extend, KvDtype dtype, ComputePool pool,
                                     long millis) {
        var cfg = m.config();
        int cap = context + 64 + extend;
        int n = b * extend;
        double[] times = new double[1 << 16];
        int count = 0;
        try (KvCache kv = new KvCache(cfg, 1 + b * cap, dtype)) {
            kv.touchAll(); // pages nobody wrote would all read the one zero page, from cache
            ForwardState state = new ForwardState(cfg, n, b);
            float[] logits = new float[b * cfg.vocabSize()];
            int[][] slots = new int[b][cap];
            for (int s = 0; s < b; s++) for (int i = 0; i < cap; i++) slots[s][i] = 1 + s * cap + i;
            int[] tokens = new int[n];
            int[] pos = new int[n];
            int[] loc = new int[n];
            int[] starts = new int[b + 1];
            int[] last = new int[b];
            for (int s = 0; s < b; s++) {
                for (int e = 0; e < extend; e++) tokens[s * extend + e] = 1000 + 17 * s + e;
                starts[s + 1] = (s + 1) * extend;
                last[s] = (s + 1) * extend - 1;
            }
            for (int phase = 0; phase < 2; phase++) {
                long end = System.nanoTime() + millis * 1_000_000;
                for (int step = 0; System.nanoTime() < end || (phase == 1 && count < 3); step++) {
                    for (int s = 0; s < b; s++) {
                        for (int e = 0; e < extend; e++) {
                            int t = s * extend + e;
                            pos[t] = context + step % 64 + e;
                            loc[t] = slots[s][pos[t]];
                        }
                    }
                    long t0 = System.nanoTime();
                    m.forward(new ForwardBatch(tokens, pos, loc, starts, slots, last), kv, state, logits, pool);
                    if (phase == 1 && count < times.length) times[count++] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double[] t = Arrays.copyOf(times, count);
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
