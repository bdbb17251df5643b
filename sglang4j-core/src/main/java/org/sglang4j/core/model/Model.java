package org.sglang4j.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.tensor.Tensor;

/**
 * An immutable loaded model: config plus weights (matrices are views of the memory-mapped file, never copied).
 * All mutable per-step data lives in {@link KvCache} and {@link ForwardState}, so one model serves any number of
 * caches. {@link #close()} unmaps the file; the model must not be used afterwards.
 */
public final class Model implements AutoCloseable {
    private final ModelConfig config;
    private final Weights weights;
    private final AutoCloseable resource;
    private final ForwardPass forwardPass;
    private final long weightBytes;
    private final String quantization;

    /** {@code resource} (nullable) owns the weights' memory, e.g. the mapped GGUF file. */
    public Model(ModelConfig config, Weights weights, AutoCloseable resource) {
        weights.validate(config);
        this.config = config;
        this.weights = weights;
        this.resource = resource;
        this.forwardPass = new ForwardPass(config, weights);
        Map<GgmlType, Long> bytesByType = bytesByType(weights);
        this.weightBytes = bytesByType.values().stream().mapToLong(Long::longValue).sum() + smallWeightBytes(weights);
        this.quantization = describe(bytesByType);
    }

    public ModelConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    /**
     * Runs one ragged batch (see {@link ForwardBatch}): writes the new tokens' K/V into {@code kv} at their
     * {@code outCacheLoc} slots and the logits of row {@code r} of {@code batch.logitTokens()} into
     * {@code logits[r * vocabSize, (r + 1) * vocabSize)}.
     */
    public void forward(ForwardBatch batch, KvCache kv, ForwardState state, float[] logits, ComputePool pool) {
        forwardPass.run(batch, kv, state, logits, 0, pool);
    }

    /**
     * As {@link #forward}, for a batch of any length: one with more tokens than {@code state} holds runs as
     * consecutive passes over at most {@code state.maxTokens()} of its tokens, in order (see
     * {@link ForwardBatch#slice}). Each pass writes its tokens' K/V before the next runs, so a sequence cut between
     * two passes attends exactly as in one. A state sized for a pass rather than a whole prefill chunk is a third of
     * the memory, for one more read of the weights per pass (small next to a pass's compute).
     */
    public void forwardInPasses(ForwardBatch batch, KvCache kv, ForwardState state, float[] logits, ComputePool pool) {
        int n = batch.numTokens();
        int max = state.maxTokens();
        if (n <= max) {
            forwardPass.run(batch, kv, state, logits, 0, pool);
            return;
        }
        int row = 0;
        for (int t0 = 0; t0 < n; t0 += max) {
            ForwardBatch pass = batch.slice(t0, Math.min(n, t0 + max));
            forwardPass.run(pass, kv, state, logits, row * config.vocabSize(), pool);
            row += pass.logitTokens().length;
        }
    }

    /** Bytes of all weights (the output projection counted once when tied). */
    public long weightBytes() {
        return weightBytes;
    }

    /** Storage type of the weight matrices: one type name, or "mixed A/B" ordered by bytes. */
    public String quantization() {
        return quantization;
    }

    @Override
    public void close() throws Exception {
        if (resource != null) resource.close();
    }

    private static Map<GgmlType, Long> bytesByType(Weights w) {
        Map<GgmlType, Long> bytes = new LinkedHashMap<>();
        java.util.function.Consumer<Tensor> add = t -> bytes.merge(t.type(), t.data().byteSize(), Long::sum);
        add.accept(w.tokenEmbedding());
        if (w.output() != w.tokenEmbedding()) add.accept(w.output());
        for (LayerWeights l : w.layers()) {
            for (Tensor t : new Tensor[] {l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.up(), l.down()}) add.accept(t);
        }
        return bytes;
    }

    private static long smallWeightBytes(Weights w) {
        long floats = w.outputNorm().length;
        for (LayerWeights l : w.layers()) {
            for (float[] a : new float[][] {l.attnNorm(), l.ffnNorm(), l.bq(), l.bk(), l.bv(), l.qNorm(), l.kNorm()}) {
                if (a != null) floats += a.length;
            }
        }
        return floats * 4;
    }

    private static String describe(Map<GgmlType, Long> bytesByType) {
        if (bytesByType.size() == 1) return bytesByType.keySet().iterator().next().name();
        return "mixed " + bytesByType.entrySet().stream()
                .sorted(Map.Entry.<GgmlType, Long>comparingByValue().reversed())
                .map(e -> e.getKey().name())
                .collect(Collectors.joining("/"));
    }

    @Override
    public String toString() {
        return "Model[" + config.architecture() + ", " + config.nLayers() + " layers, dim " + config.dim() + ", "
                + quantization + ", " + weightBytes / (1 << 20) + " MiB]";
    }
}
