package org.sglang4j.bench.jmh;

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
import org.sglang4j.core.kernel.ComputePool;

/** The cost of one {@link ComputePool#parallelFor} dispatch with (almost) no work: the per-matmul overhead. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ComputePoolBench {
    @Param({"2"})
    public int threads;

    private ComputePool pool;
    private final long[] sink = new long[64];
    private final ComputePool.RangeTask task = (s, e) -> sink[s * 8 % 64] += e;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new ComputePool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public long dispatch() {
        pool.parallelFor(threads * 4, task);
        return sink[0];
    }
}
