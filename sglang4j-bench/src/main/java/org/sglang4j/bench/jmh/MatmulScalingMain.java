package org.sglang4j.bench.jmh;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.tensor.Tensor;

/**
 * How the matmuls of one decode step scale with the tokens per step: for each type and each {@code nTokens}, the
 * time of all per-layer matmuls of the Qwen2.5-0.5B shape (24 layers × q, k, v, o, gate, up, down; weights from
 * memory, not cache) and its ratio to {@code nTokens} one-token steps. A ratio below 1 means batching pays; the
 * matmul must never be slower than running the one-token kernel once per token. A quick loop, not JMH (seven types
 * × sixteen token counts would be a hundred forks): {@code MatmulScalingMain [--types=Q8_0,Q4_0]
 * [--tokens=1,2,3,4,8] [--threads=2] [--millis=1500]}.
 */
public final class MatmulScalingMain {
    private MatmulScalingMain() {}

    public static void main(String[] args) {
        String[] types = {"Q8_0", "Q4_0", "F16", "BF16", "F32"};
        int[] tokens = java.util.stream.IntStream.rangeClosed(1, 16).toArray();
        int threads = 2;
        long millis = 1500;
        for (String a : args) {
            if (a.startsWith("--types=")) types = a.substring(8).split(",");
            else if (a.startsWith("--tokens=")) tokens = Arrays.stream(a.substring(9).split(",")).mapToInt(Integer::parseInt).toArray();
            else if (a.startsWith("--threads=")) threads = Integer.parseInt(a.substring(10));
            else if (a.startsWith("--millis=")) millis = Long.parseLong(a.substring(9));
            else throw new IllegalArgumentException("unknown argument " + a);
        }
        List<String> report = new ArrayList<>();
        try (ComputePool pool = new ComputePool(threads)) {
            for (String type : types) {
                GgmlType t = GgmlType.valueOf(type);
                if (DecodeStepBench.HIDDEN % t.blockSize != 0) {
                    // Published Qwen2.5-0.5B K-quant files store these 896-wide matrices in other types.
                    System.out.println(type + ": skipped, blocks of " + t.blockSize + " do not divide rows of "
                            + DecodeStepBench.HIDDEN);
                    continue;
                }
                try (Arena arena = Arena.ofShared()) {
                    Tensor[][] layers = DecodeStepBench.layers(t, arena);
                    double one = 0;
                    for (int n : tokens) {
                        double ms = stepMillis(layers, n, pool, millis);
                        if (n == 1) one = ms;
                        String line = String.format("%-5s nTokens=%2d: %7.2f ms/step  %7.1f tok/s%s", type, n, ms,
                                n * 1e3 / ms, one > 0 ? String.format("  %.2f of %d one-token steps", ms / (n * one), n) : "");
                        System.out.println(line);
                        report.add(line);
                    }
                }
            }
        }
        System.out.println();
        System.out.println("=== decode-step matmuls (24 layers, no output projection), " + threads + " threads ===");
        report.forEach(System.out::println);
    }

    /** Median step time over {@code millis} of repetitions, after a warm-up of the same length. */
    private static double stepMillis(Tensor[][] layers, int n, ComputePool pool, long millis) {
        int h = DecodeStepBench.HIDDEN, f = DecodeStepBench.FFN;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(n);
        float[] xa = new float[n * h];
        float[] xf = new float[n * f];
        for (int i = 0; i < xa.length; i++) xa[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < xf.length; i++) xf[i] = (float) rnd.nextDouble(-1, 1);
        float[] out = new float[n * f];
        List<Double> times = new ArrayList<>();
        for (int phase = 0; phase < 2; phase++) {
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end || (phase == 1 && times.size() < 3)) {
                long t0 = System.nanoTime();
                DecodeStepBench.layerMatmuls(layers, xa, xf, n, out, out, out, pool);
                if (phase == 1) times.add((System.nanoTime() - t0) / 1e6);
            }
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }
}
