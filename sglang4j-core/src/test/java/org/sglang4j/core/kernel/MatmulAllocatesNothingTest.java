package org.sglang4j.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.tensor.Q4_0Tensor;
import org.sglang4j.core.tensor.Q4_0TiledTensor;
import org.sglang4j.core.tensor.Q8_0Tensor;
import org.sglang4j.core.tensor.Q8_0TiledTensor;
import org.sglang4j.core.tensor.RandomTensors;
import org.sglang4j.core.tensor.Simd;
import org.sglang4j.core.tensor.Tensor;
import org.sglang4j.core.tensor.VnniKernels;

/**
 * Once compiled, the matmul allocates nothing, for every type and every path (one token, scratch tiles, the fused
 * eight-slot kernels, tiled Q4_0, the native kernels' calls). This guards the
 * Vector API code against a silent ten-fold slowdown: when C2 gives up inlining a Vector API call (a loop body
 * grown too large, a vector passed to a method that is not inlined), the vector is boxed on the heap and the
 * kernel starts allocating on every block. Allocation is counted, not time, and the check waits for C2 to compile.
 */
class MatmulAllocatesNothingTest {
    static final java.util.List<GgmlType> TYPES = RandomTensors.TYPES;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @FieldSource("TYPES")
    void steadyStateMatmulAllocatesNothing(GgmlType type) {
        if (!Simd.ENABLED) return;
        Random rnd = new Random(11);
        int cols = RandomTensors.cols(type, type.blockSize == 1 ? 512 : 2);
        assertAllocatesNothing(RandomTensors.of(type, 48, cols, rnd), rnd);
    }

    @Test
    void tiledQ4_0AllocatesNothing() {
        if (!Simd.ENABLED) return;
        Random rnd = new Random(12);
        Tensor w = Q4_0TiledTensor.repack((Q4_0Tensor) RandomTensors.of(GgmlType.Q4_0, 48, 64, rnd));
        assertThat(w).isInstanceOf(Q4_0TiledTensor.class);
        assertAllocatesNothing(w, rnd);
    }

    @Test
    void tiledQ8_0AllocatesNothing() {
        if (!VnniKernels.available()) return;
        Random rnd = new Random(13);
        Tensor w = Q8_0TiledTensor.repack((Q8_0Tensor) RandomTensors.of(GgmlType.Q8_0, 48, 64, rnd));
        assertThat(w).isInstanceOf(Q8_0TiledTensor.class);
        assertAllocatesNothing(w, rnd);
    }

    private static void assertAllocatesNothing(Tensor w, Random rnd) {
        int cols = w.cols();
        float[] x = new float[8 * cols];
        float[] out = new float[8 * w.rows()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        try (ComputePool pool = new ComputePool(1)) {
            for (int nTokens : new int[] {1, 5, 8}) {
                long allocated = Long.MAX_VALUE;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (allocated > 0 && System.nanoTime() < deadline) {
                    for (int i = 0; i < 200; i++) Matmul.matmul(w, x, nTokens, out, pool);
                    long before = THREADS.getCurrentThreadAllocatedBytes();
                    for (int i = 0; i < 50; i++) Matmul.matmul(w, x, nTokens, out, pool);
                    allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                }
                assertThat(allocated).as("%s nTokens=%d: bytes allocated by 50 compiled calls", w.getClass().getSimpleName(),
                        nTokens).isZero();
            }
        }
    }
}
