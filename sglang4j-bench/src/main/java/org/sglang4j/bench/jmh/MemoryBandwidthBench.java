package org.sglang4j.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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

/**
 * The bandwidth ceiling: {@code threads} threads stream-read 1 GiB of off-heap memory with four independent
 * vector accumulators. A one-token decode step cannot read its weights faster than this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MemoryBandwidthBench {
    static final long BYTES = 1L << 30;
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;
    private static final int CHUNK = 1 << 20;

    @Param({"2"})
    public int threads;

    private Arena arena;
    private MemorySegment seg;
    private ComputePool pool;
    private final long[] sums = new long[(int) (BYTES / CHUNK)];

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        seg = arena.allocate(BYTES, 64);
        for (long o = 0; o < BYTES; o += 4096) seg.set(java.lang.foreign.ValueLayout.JAVA_LONG, o, o);
        pool = new ComputePool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public long read() {
        pool.parallelFor(sums.length, (s, e) -> {
            for (int c = s; c < e; c++) sums[c] = sum((long) c * CHUNK);
        });
        return sums[0] + sums[sums.length - 1];
    }

    private long sum(long base) {
        int step = S.vectorByteSize();
        LongVector a0 = LongVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        for (long o = base; o < base + CHUNK; o += 4L * step) {
            a0 = a0.add(LongVector.fromMemorySegment(S, seg, o, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(LongVector.fromMemorySegment(S, seg, o + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(LongVector.fromMemorySegment(S, seg, o + 2L * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(LongVector.fromMemorySegment(S, seg, o + 3L * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
