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
 * Every matmul of one Qwen2.5-0.5B forward step (24 layers × q, k, v, o, gate, up, down, plus the 151936-row
 * tied output projection), for {@code nTokens} tokens: ≈ 494 M weights, 525 MB in Q8_0, so a one-token step
 * streams the whole model from memory and its time is the kernels' decode ceiling.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DecodeStepBench {
    static final int HIDDEN = 896;
    static final int KV = 128;
    static final int FFN = 4864;
    static final int VOCAB = 151936;
    static final int LAYERS = 24;

    @Param({"Q8_0", "Q4_0"})
    public String type;

    @Param({"1", "8"})
    public int nTokens;

    @Param({"2"})
    public int threads;

    private Arena arena;
    private ComputePool pool;
    private Tensor[][] layers;
    private Tensor output;
    private float[] xa;
    private float[] xf;
    private float[] q;
    private float[] kv;
    private float[] ffn;
    private float[] logits;

    /** Weight bytes one step reads (for GB/s). */
    static long stepBytes(GgmlType t) {
        long perLayer = 2L * HIDDEN * HIDDEN + 2L * KV * HIDDEN + 3L * FFN * HIDDEN;
        return t.byteSize(perLayer) * LAYERS + t.byteSize((long) VOCAB * HIDDEN);
    }

    /** Random weights of the 24 layers: q, k, v, o, gate, up, down (seeds 0, 1, … in that order). */
    static Tensor[][] layers(GgmlType t, Arena arena) {
        Tensor[][] layers = new Tensor[LAYERS][];
        long seed = 0;
        for (int l = 0; l < LAYERS; l++) {
            layers[l] = new Tensor[] {
                RandomWeights.tensor(t, HIDDEN, HIDDEN, seed++, arena), RandomWeights.tensor(t, KV, HIDDEN, seed++, arena),
                RandomWeights.tensor(t, KV, HIDDEN, seed++, arena), RandomWeights.tensor(t, HIDDEN, HIDDEN, seed++, arena),
                RandomWeights.tensor(t, FFN, HIDDEN, seed++, arena), RandomWeights.tensor(t, FFN, HIDDEN, seed++, arena),
                RandomWeights.tensor(t, HIDDEN, FFN, seed++, arena)
            };
        }
        return layers;
    }

    /** Every per-layer matmul of one step for {@code n} tokens ({@code xa}: hidden-wide inputs, {@code xf}: FFN-wide). */
    static void layerMatmuls(Tensor[][] layers, float[] xa, float[] xf, int n, float[] q, float[] kv, float[] ffn,
                             ComputePool pool) {
        for (Tensor[] w : layers) {
            Matmul.matmul(w[0], xa, n, q, pool);
            Matmul.matmul(w[1], xa, n, kv, pool);
            Matmul.matmul(w[2], xa, n, kv, pool);
            Matmul.matmul(w[3], xa, n, q, pool);
            Matmul.matmul(w[4], xa, n, ffn, pool);
            Matmul.matmul(w[5], xa, n, ffn, pool);
            Matmul.matmul(w[6], xf, n, q, pool);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        arena = Arena.ofShared();
        layers = layers(t, arena);
        output = RandomWeights.tensor(t, VOCAB, HIDDEN, 7L * LAYERS, arena);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        xa = new float[nTokens * HIDDEN];
        xf = new float[nTokens * FFN];
        for (int i = 0; i < xa.length; i++) xa[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < xf.length; i++) xf[i] = (float) rnd.nextDouble(-1, 1);
        q = new float[nTokens * HIDDEN];
        kv = new float[nTokens * KV];
        ffn = new float[nTokens * FFN];
        logits = new float[nTokens * VOCAB];
        pool = new ComputePool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float step() {
        layerMatmuls(layers, xa, xf, nTokens, q, kv, ffn, pool);
        Matmul.matmul(output, xa, nTokens, logits, pool);
        return logits[0] + q[0] + kv[0] + ffn[0];
    }
}
