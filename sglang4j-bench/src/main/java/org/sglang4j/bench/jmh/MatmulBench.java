package org.sglang4j.bench.jmh;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.kernel.Matmul;
import org.sglang4j.core.tensor.Tensor;

/**
 * One matmul of a Qwen2.5-0.5B shape ({@code rows x cols}) for {@code nTokens} tokens. Like the real model, which
 * has a separate matrix per layer, each call uses the next of enough copies to total ≥ 256 MB, so weights come
 * from memory and not from the 32 MB L3 (one token is memory-bound; a cache-resident matrix would flatter it).
 * {@link KernelBenchMain} turns the time per call into weight GB/s and tokens/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatmulBench {
    @Param({"896x896", "128x896", "4864x896", "896x4864", "151936x896"})
    public String shape;

    @Param({"Q8_0", "Q4_0", "Q4_K", "F16"})
    public String type;

    @Param({"1", "8"})
    public int nTokens;

    @Param({"2"})
    public int threads;

    private Arena arena;
    private ComputePool pool;
    private Tensor[] copies;
    private float[] x;
    private float[] out;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        GgmlType t = GgmlType.valueOf(type);
        arena = Arena.ofShared();
        long bytes = t.byteSize((long) rows * cols);
        int n = (int) Math.max(1, Math.min(64, (256L << 20) / bytes));
        copies = new Tensor[n];
        for (int i = 0; i < n; i++) copies[i] = RandomWeights.tensor(t, rows, cols, i, arena);
        x = new float[nTokens * cols];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextDouble(-1, 1);
        out = new float[nTokens * rows];
        pool = new ComputePool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float matmul() {
        Tensor w = copies[next];
        next = next + 1 == copies.length ? 0 : next + 1;
        Matmul.matmul(w, x, nTokens, out, pool);
        return out[0];
    }
}
