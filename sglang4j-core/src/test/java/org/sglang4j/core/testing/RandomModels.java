package org.sglang4j.core.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufWriter;

/**
 * Writes random-weight GGUF models of the supported architectures, loadable by both sglang4j and llama.cpp, with
 * the tokenizer metadata of a real vocabulary file (optionally cut to its first {@code vocabLimit} tokens to keep
 * the embedding small). Matrices are drawn N(0, (scale / sqrt(fan_in))²) so activations keep unit size through the
 * layers; embedding and output rows use {@code logitStd / sqrt(dim)} so logits have standard deviation ≈
 * {@code logitStd} — large enough that distributions are peaked rather than flat. Norm weights are 1 ± noise and
 * biases are non-zero, so every weight visibly matters. Use {@link #llama()}, {@link #qwen2()}, {@link #qwen3()} or
 * {@link #mistral()} and adjust with the withers.
 *
 * @param llama3Rope Llama 3.1 rope scaling written as the {@code rope_freqs.weight} tensor (null = none)
 */
public record RandomModels(String arch, int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int headDim,
                           boolean tied, boolean qkvBias, boolean qkNorm, float ropeTheta, Llama3Rope llama3Rope,
                           GgmlType type, Path vocab, int vocabLimit, float scale, float logitStd, long seed) {

    /** Llama 3.1 rope scaling parameters (HF {@code rope_scaling} with {@code rope_type = "llama3"}). */
    public record Llama3Rope(float factor, float lowFreqFactor, float highFreqFactor, int originalContextLength) {}

    public static final int CONTEXT_LENGTH = 2048;

    /** Llama 2 shape: MHA, normal rope, untied output. */
    public static RandomModels llama() {
        return new RandomModels("llama", 64, 160, 2, 4, 4, 16, false, false, false, 10000f, null, GgmlType.F32,
                SharedData.vocab("ggml-vocab-llama-spm.gguf"), 4096, 1.0f, 4.0f, 1);
    }

    /** Mistral 7B shape in miniature: GGUF arch "llama", GQA 4:1, rope theta 1e6. */
    public static RandomModels mistral() {
        return new RandomModels("llama", 128, 352, 2, 8, 2, 16, false, false, false, 1_000_000f, null, GgmlType.F32,
                SharedData.vocab("ggml-vocab-llama-spm.gguf"), 4096, 1.0f, 4.0f, 2);
    }

    /** Qwen2.5 shape: q/k/v biases, NeoX rope, GQA, tied embeddings. */
    public static RandomModels qwen2() {
        return new RandomModels("qwen2", 64, 192, 2, 4, 2, 16, true, true, false, 1_000_000f, null, GgmlType.F32,
                SharedData.vocab("ggml-vocab-llama-spm.gguf"), 4096, 1.0f, 4.0f, 3);
    }

    /** Qwen3 shape: per-head q/k RMSNorm, NeoX rope, head_dim larger than dim / heads, no biases. */
    public static RandomModels qwen3() {
        return new RandomModels("qwen3", 64, 192, 2, 4, 2, 32, true, false, true, 1_000_000f, null, GgmlType.F32,
                SharedData.vocab("ggml-vocab-llama-spm.gguf"), 4096, 1.0f, 4.0f, 4);
    }

    public RandomModels withType(GgmlType t) {
        return new RandomModels(arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, tied, qkvBias, qkNorm,
                ropeTheta, llama3Rope, t, vocab, vocabLimit, scale, logitStd, seed);
    }

    public RandomModels withTied(boolean t) {
        return new RandomModels(arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, t, qkvBias, qkNorm,
                ropeTheta, llama3Rope, type, vocab, vocabLimit, scale, logitStd, seed);
    }

    public RandomModels withShape(int dim, int hiddenDim, int nLayers, int nHeads, int nKvHeads, int headDim) {
        return new RandomModels(arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, tied, qkvBias, qkNorm,
                ropeTheta, llama3Rope, type, vocab, vocabLimit, scale, logitStd, seed);
    }

    public RandomModels withLlama3Rope(Llama3Rope r) {
        return new RandomModels(arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, tied, qkvBias, qkNorm,
                ropeTheta, r, type, vocab, vocabLimit, scale, logitStd, seed);
    }

    /** {@code limit <= 0} keeps the whole vocabulary. */
    public RandomModels withVocab(Path vocabFile, int limit) {
        return new RandomModels(arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, tied, qkvBias, qkNorm,
                ropeTheta, llama3Rope, type, vocabFile, limit, scale, logitStd, seed);
    }

    public RandomModels withSeed(long s) {
        return new RandomModels(arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim, tied, qkvBias, qkNorm,
                ropeTheta, llama3Rope, type, vocab, vocabLimit, scale, logitStd, s);
    }

    /** Writes the model to {@code file} and returns it. */
    public Path write(Path file) throws IOException {
        if (type != GgmlType.F32 && type != GgmlType.F16) {
            throw new IllegalArgumentException("write F32 or F16 and quantize with llama-quantize, not " + type);
        }
        GgufWriter w = new GgufWriter();
        int vocabSize = copyTokenizer(w);
        String p = arch + ".";
        w.put("general.architecture", arch).put("general.name", "random-" + arch + "-" + seed)
                .putUInt32("general.file_type", type == GgmlType.F32 ? 0 : 1)
                .putUInt32(p + "context_length", CONTEXT_LENGTH).putUInt32(p + "embedding_length", dim)
                .putUInt32(p + "block_count", nLayers).putUInt32(p + "feed_forward_length", hiddenDim)
                .putUInt32(p + "attention.head_count", nHeads).putUInt32(p + "attention.head_count_kv", nKvHeads)
                .putUInt32(p + "attention.key_length", headDim).putUInt32(p + "attention.value_length", headDim)
                .putUInt32(p + "rope.dimension_count", headDim).putUInt32(p + "vocab_size", vocabSize)
                .put(p + "attention.layer_norm_rms_epsilon", 1e-5f).put(p + "rope.freq_base", ropeTheta);

        SplittableRandom rnd = new SplittableRandom(seed);
        int qDim = nHeads * headDim;
        int kvDim = nKvHeads * headDim;
        float embStd = logitStd / (float) Math.sqrt(dim);
        matrix(w, "token_embd.weight", vocabSize, dim, embStd, rnd);
        vector(w, "output_norm.weight", dim, 1f, 0.2f, rnd);
        if (!tied) matrix(w, "output.weight", vocabSize, dim, embStd, rnd);
        if (llama3Rope != null) w.addF32("rope_freqs.weight", new long[] {headDim / 2}, llama3RopeFactors());
        for (int l = 0; l < nLayers; l++) {
            String b = "blk." + l + ".";
            vector(w, b + "attn_norm.weight", dim, 1f, 0.2f, rnd);
            matrix(w, b + "attn_q.weight", qDim, dim, scale / (float) Math.sqrt(dim), rnd);
            matrix(w, b + "attn_k.weight", kvDim, dim, scale / (float) Math.sqrt(dim), rnd);
            matrix(w, b + "attn_v.weight", kvDim, dim, scale / (float) Math.sqrt(dim), rnd);
            if (qkvBias) {
                vector(w, b + "attn_q.bias", qDim, 0f, 0.5f, rnd);
                vector(w, b + "attn_k.bias", kvDim, 0f, 0.5f, rnd);
                vector(w, b + "attn_v.bias", kvDim, 0f, 0.5f, rnd);
            }
            if (qkNorm) {
                vector(w, b + "attn_q_norm.weight", headDim, 1f, 0.2f, rnd);
                vector(w, b + "attn_k_norm.weight", headDim, 1f, 0.2f, rnd);
            }
            matrix(w, b + "attn_output.weight", dim, qDim, scale / (float) Math.sqrt(qDim), rnd);
            vector(w, b + "ffn_norm.weight", dim, 1f, 0.2f, rnd);
            matrix(w, b + "ffn_gate.weight", hiddenDim, dim, scale / (float) Math.sqrt(dim), rnd);
            matrix(w, b + "ffn_up.weight", hiddenDim, dim, scale / (float) Math.sqrt(dim), rnd);
            matrix(w, b + "ffn_down.weight", dim, hiddenDim, scale / (float) Math.sqrt(hiddenDim), rnd);
        }
        w.write(file);
        return file;
    }

    /**
     * Copies {@code tokenizer.*} from the vocabulary file, cut to {@code vocabLimit} tokens. Scalar integers are
     * written as UINT32 (the type llama.cpp insists on); special-token ids past the cut are dropped.
     */
    private int copyTokenizer(GgufWriter w) throws IOException {
        try (GgufFile v = GgufFile.open(vocab)) {
            String[] tokens = v.getStringArray("tokenizer.ggml.tokens");
            int n = vocabLimit > 0 ? Math.min(vocabLimit, tokens.length) : tokens.length;
            for (Map.Entry<String, Object> e : v.metadata().entrySet()) {
                String key = e.getKey();
                if (!key.startsWith("tokenizer.")) continue;
                switch (e.getValue()) {
                    case Long id when key.endsWith("_id") -> {
                        if (id < n) w.putUInt32(key, id);
                    }
                    case Long l -> w.putUInt32(key, l);
                    case String[] a when a.length == tokens.length -> w.put(key, Arrays.copyOf(a, n));
                    case float[] a when a.length == tokens.length -> w.put(key, Arrays.copyOf(a, n));
                    case int[] a when a.length == tokens.length -> w.put(key, Arrays.copyOf(a, n));
                    case Object o -> w.put(key, o);
                }
            }
            return n;
        }
    }

    /** Per-pair divisors of the rotary frequencies, as llama.cpp's converter writes them for Llama 3.1. */
    private float[] llama3RopeFactors() {
        Llama3Rope r = llama3Rope;
        float[] factors = new float[headDim / 2];
        double lowFreqWavelen = r.originalContextLength() / r.lowFreqFactor();
        double highFreqWavelen = r.originalContextLength() / r.highFreqFactor();
        for (int i = 0; i < factors.length; i++) {
            double freq = 1.0 / Math.pow(ropeTheta, 2.0 * i / headDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highFreqWavelen) {
                factors[i] = 1f;
            } else if (wavelen > lowFreqWavelen) {
                factors[i] = r.factor();
            } else {
                double smooth = (r.originalContextLength() / wavelen - r.lowFreqFactor())
                        / (r.highFreqFactor() - r.lowFreqFactor());
                factors[i] = (float) (1 / ((1 - smooth) / r.factor() + smooth));
            }
        }
        return factors;
    }

    private void matrix(GgufWriter w, String name, int rows, int cols, float std, SplittableRandom rnd) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
        long[] shape = {cols, rows};
        if (type == GgmlType.F16) w.addF16(name, shape, v);
        else w.addF32(name, shape, v);
    }

    private static void vector(GgufWriter w, String name, int n, float mean, float std, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = mean + (float) (rnd.nextGaussian() * std);
        w.addF32(name, new long[] {n}, v);
    }
}
