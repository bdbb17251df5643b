package org.sglang4j.bench.report;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Estimates the memory read bandwidth a decode step can use: {@code threads} threads each sum their share of a
 * buffer far larger than the caches, best of several passes. Single-stream decode reads every weight once per
 * token, so bandwidth / weight bytes is the decode ceiling the kernels are measured against (issue 3).
 */
public final class MemoryBandwidth {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private MemoryBandwidth() {}

    /** Bytes per second reading {@code mib} MiB with {@code threads} threads, best of {@code passes}. */
    public static double measure(int mib, int threads, int passes) throws Exception {
        int n = mib * (1 << 20) / 4;
        float[] data = new float[n];
        for (int i = 0; i < n; i += 1024) data[i] = i;
        double best = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                Future<?>[] parts = new Future<?>[threads];
                for (int t = 0; t < threads; t++) {
                    int from = (int) ((long) n * t / threads) / S.length() * S.length();
                    int to = t == threads - 1 ? n : (int) ((long) n * (t + 1) / threads) / S.length() * S.length();
                    parts[t] = pool.submit(() -> sum(data, from, to));
                }
                double sink = 0;
                for (Future<?> f : parts) sink += (Float) f.get();
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (sink == 42) System.out.print(""); // keeps the sums alive
                best = Math.max(best, 4.0 * n / seconds);
            }
        }
        return best;
    }

    /** Four independent accumulators so the loop is bound by loads, not by the add latency. */
    private static float sum(float[] a, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int step = 4 * S.length();
        int i = from;
        for (; i + step <= to; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + S.length()));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * S.length()));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * S.length()));
        }
        float r = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) r += a[i];
        return r;
    }
}
