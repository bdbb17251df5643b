package org.sglang4j.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.kernel.Matmul;

/**
 * The native VNNI kernel against the Java integer kernel it stands in for: the same floats, bit for bit, for any
 * tile range, token count (one token over up to four tiles at once; one to three passes of eight) and data, including blocks whose activations are all
 * ±127 or zero and f16 scales that are zero, subnormal or the largest finite.
 */
class VnniKernelsTest {
    private static final int T = Q4_0TiledTensor.TILE;

    /** Where the CPU has VNNI and the build had a C compiler, the kernel must load: a broken build shows here. */
    @Test
    void theNativeKernelLoadsWhereTheCpuHasVnni() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo) && Files.readString(cpuinfo).contains("avx512_vnni"), "CPU without VNNI");
        assumeTrue(T == 16, "vectors narrower than 512 bits");
        assumeTrue(Boolean.parseBoolean(System.getProperty("sglang4j.native", "true")), "disabled by property");
        assumeTrue(VnniKernelsTest.class.getResource("/native/linux-x86_64/libsglang4j.so") != null,
                "built without a C compiler");
        assertThat(VnniKernels.available()).as(VnniKernels.describe()).isTrue();
        assertThat(VnniKernels.describe()).startsWith("native AVX-512 VNNI");
    }

    /** Random cases (a plain loop, not a jqwik property: on a CPU without VNNI every case would be rejected). */
    @Test
    void nativeResultsAreTheJavaKernelsBitForBit() {
        assumeTrue(VnniKernels.available(), VnniKernels.describe());
        Random cases = new Random(7);
        for (int i = 0; i < 80; i++) {
            compare(1 + cases.nextInt(4), 1 + cases.nextInt(12), 1 + cases.nextInt(20), cases.nextLong(), false);
        }
        // One token (decode) reads up to four tiles at once: whole ranges of 1 to 11 tiles cover every split.
        for (int tiles = 1; tiles <= 11; tiles++) compare(tiles, 1 + cases.nextInt(6), 1, cases.nextLong(), true);
    }

    private static void compare(int tiles, int blocks, int nTokens, long seed, boolean allRows) {
        Random rnd = new Random(seed);
        int rows = tiles * T, cols = 32 * blocks;
        Q4_0Tensor q = (Q4_0Tensor) RandomTensors.of(GgmlType.Q4_0, rows, cols, rnd);
        short[] special = {0, 0x0001, 0x03ff, 0x7bff, (short) 0xfbff, (short) 0x8001};
        for (int i = 0; i < special.length; i++) {
            q.data().set(Layouts.I16, ((long) rnd.nextInt(rows) * blocks + rnd.nextInt(blocks)) * 18, special[i]);
        }
        Q4_0TiledTensor tiled = (Q4_0TiledTensor) Q4_0TiledTensor.repack(q);
        float[] x = new float[nTokens * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * Math.exp(4 * rnd.nextGaussian()));
        // A block of one sign at full scale (every q = ±127) and a block of zeros.
        Arrays.fill(x, 0, 32, -3f);
        if (x.length > 64) Arrays.fill(x, x.length - 32, x.length, 0f);
        int[] pairs = new int[nTokens * cols / 2], act = new int[nTokens * cols / 4], corr = new int[nTokens * blocks];
        float[] scales = new float[nTokens * blocks];
        for (int t = 0; t < nTokens; t++) {
            ActivationQ8.quantize(x, t * cols, cols, pairs, t * cols / 2, scales, t * blocks);
            ActivationQ8.vnniBytes(pairs, t * cols / 2, cols, act, t * cols / 4, corr, t * blocks);
        }
        int r0 = allRows ? 0 : rnd.nextInt(tiles) * T;
        int r1 = allRows ? rows : r0 + T * (1 + rnd.nextInt(tiles - r0 / T));
        float[] java = new float[3 + nTokens * rows], nat = new float[java.length];
        Arrays.fill(java, Float.NaN);
        Arrays.fill(nat, Float.NaN);
        tiled.dotRowsQ8(r0, r1, pairs, 0, scales, 0, nTokens, java, 3, rows);
        tiled.dotRowsVnni(r0, r1, MemorySegment.ofArray(act), MemorySegment.ofArray(corr),
                MemorySegment.ofArray(scales), nTokens, MemorySegment.ofArray(nat), 3, rows);
        for (int i = 0; i < java.length; i++) {
            assertThat(Float.floatToRawIntBits(nat[i]))
                    .as("%d tiles, %d blocks, %d tokens, seed %d, index %d: %s vs %s", tiles, blocks, nTokens, seed, i,
                            nat[i], java[i])
                    .isEqualTo(Float.floatToRawIntBits(java[i]));
        }
    }

    /** The native Q4_0 repacking writes the Java repacking's bytes (subnormal, zero and extreme scales included). */
    @Test
    void nativeQ4_0RepackingWritesTheJavaRepackingsBytes() {
        assumeTrue(VnniKernels.available(), VnniKernels.describe());
        Random rnd = new Random(10);
        for (int[] shape : new int[][] {{T, 32}, {5 * T, 32 * 7}, {70 * T, 64}}) {
            Q4_0Tensor q = (Q4_0Tensor) RandomTensors.of(GgmlType.Q4_0, shape[0], shape[1], rnd);
            short[] special = {0, 0x0001, 0x03ff, 0x7bff, (short) 0xfbff};
            for (int i = 0; i < special.length; i++) {
                q.data().set(Layouts.I16, (long) rnd.nextInt(shape[0] * shape[1] / 32) * 18, special[i]);
            }
            MemorySegment java = Arena.ofAuto().allocate(q.data().byteSize(), 64);
            Q4_0TiledTensor.repackInJava(q.data(), java, q.rows(), q.cols() / 32,
                    Q4_0TiledTensor.scaleBase(q.rows(), q.cols() / 32));
            Tensor tiled = Q4_0TiledTensor.repack(q);
            assertThat(tiled.data().mismatch(java)).as("%s: first differing byte", Arrays.toString(shape)).isEqualTo(-1L);
        }
    }

    @Test
    void q8_0RepackingKeepsEveryValue() {
        assumeTrue(VnniKernels.available(), VnniKernels.describe());
        Random rnd = new Random(8);
        Q8_0Tensor q = (Q8_0Tensor) RandomTensors.of(GgmlType.Q8_0, 3 * T, 32 * 5, rnd);
        short[] special = {0, 0x0001, 0x03ff, 0x7bff, (short) 0xc000};
        for (int r = 0; r < special.length; r++) q.data().set(Layouts.I16, (long) r * 5 * 34, special[r]);
        q.data().set(Layouts.I8, 2, (byte) -128);
        q.data().set(Layouts.I8, 3, (byte) 127);
        Tensor tiled = Q8_0TiledTensor.repack(copy(q));
        assertThat(tiled).isInstanceOf(Q8_0TiledTensor.class);
        Q4_0TiledTensorTest.assertSameValues(tiled, q);
        float[] want = new float[q.cols()];
        float[] rows = new float[2 * q.cols()];
        tiled.dequantizeRows(T, T + 2, rows, 0);
        q.dequantizeRow(T + 1, want, 0);
        assertThat(Arrays.copyOfRange(rows, q.cols(), 2 * q.cols())).containsExactly(want);
        MemorySegment none = MemorySegment.ofArray(new int[q.cols()]);
        assertThatThrownBy(() -> ((Q8_0TiledTensor) tiled).dotRowsVnni(1, T, none, none, none, 1, none, 0, 3 * T))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole 16-row tiles");
    }

    /**
     * Q8_0 through {@link Matmul} for every token count class (one, a partial pass of eight, whole passes, prefill
     * sizes) and through {@link Tensor#dotRows}: ggml's Q8_0 × Q8_0 product, computed in double from the format.
     */
    @Test
    void q8_0ProductsMatchTheQ8_0Reference() {
        assumeTrue(VnniKernels.available(), VnniKernels.describe());
        Random rnd = new Random(9);
        Q8_0Tensor q = (Q8_0Tensor) RandomTensors.of(GgmlType.Q8_0, 5 * T, 32 * 7, rnd);
        Tensor tiled = Q8_0TiledTensor.repack(copy(q));
        int cols = q.cols(), rows = q.rows();
        try (ComputePool pool = new ComputePool(3)) {
            for (int nTokens : new int[] {1, 3, 8, 9, 16, 40}) {
                float[] x = new float[2 + nTokens * cols];
                for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian()));
                float[] out = new float[5 + nTokens * rows + 1];
                Arrays.fill(out, Float.NaN);
                Matmul.matmul(tiled, x, 2, nTokens, out, 5, pool);
                for (int t = 0; t < nTokens; t++) {
                    for (int r = 0; r < rows; r++) {
                        Q4_0TiledTensorTest.assertClose(out[5 + t * rows + r],
                                Q4_0TiledTensorTest.reference(q, r, x, 2 + t * cols), nTokens + " tokens, row " + r);
                    }
                }
                assertThat(out[4]).isNaN();
                assertThat(out[out.length - 1]).isNaN();
            }
        }
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) rnd.nextGaussian();
        float[] out = new float[2 * T];
        tiled.dotRows(T, 3 * T, x, 0, out, 0);
        for (int r = T; r < 3 * T; r++) {
            Q4_0TiledTensorTest.assertClose(out[r - T], Q4_0TiledTensorTest.reference(q, r, x, 0), "dotRows row " + r);
        }
    }

    private static Q8_0Tensor copy(Q8_0Tensor q) {
        MemorySegment m = Arena.ofAuto().allocate(q.data().byteSize(), 64);
        m.copyFrom(q.data());
        return new Q8_0Tensor(m, q.rows(), q.cols());
    }
}
