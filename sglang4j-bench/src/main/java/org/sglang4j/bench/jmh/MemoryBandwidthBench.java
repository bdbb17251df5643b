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
 * The bandwidth ceiling: {@code threads} threads stream-read 1 GiB of off-heap memory, each thread reading
 * {@code streams} far-apart sequential streams at once (the hardware prefetchers keep more lines in flight with
 * more streams; one stream per thread stays well below what the memory delivers). A one-token decode step
 * cannot read its weights faster than the best of these.
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

    @Param({"1", "2", "4"})
    public int streams;

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

    /** Sums one chunk read as {@code streams} interleaved sequential streams (one vector from each per step). */
    private long sum(long base) {
        int step = S.vectorByteSize();
        long part = CHUNK / streams;
        LongVector acc = LongVector.zero(S);
        for (long o = base; o < base + part; o += step) {
            for (int s = 0; s < streams; s++) {
                acc = acc.add(LongVector.fromMemorySegment(S, seg, o + s * part, ByteOrder.LITTLE_ENDIAN));
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
