package org.sglang4j.core.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.arch.ModelArch;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufTensorInfo;
import org.sglang4j.core.model.LayerWeights;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelConfig;
import org.sglang4j.core.model.RopeScaling;
import org.sglang4j.core.model.Weights;
import org.sglang4j.core.tensor.Q4_0Tensor;
import org.sglang4j.core.tensor.Q4_0TiledTensor;
import org.sglang4j.core.tensor.Q8_0Tensor;
import org.sglang4j.core.tensor.Q8_0TiledTensor;
import org.sglang4j.core.tensor.Tensor;

/**
 * Loads a Llama-family model from a GGUF file. Matrices stay in the memory-mapped file (wrapped by
 * {@link Tensor#of}); only norm weights and biases are copied to the heap. Tensor names follow llama.cpp:
 * {@code token_embd}, {@code output_norm}, {@code output} (absent = tied), {@code rope_freqs}, and per block
 * {@code blk.N.attn_norm|attn_q|attn_k|attn_v|attn_output|attn_q_norm|attn_k_norm|ffn_norm|ffn_gate|ffn_up|ffn_down}.
 */
public final class GgufModelLoader {
    private GgufModelLoader() {}

    public static Model load(Path path) throws IOException {
        GgufFile file = GgufFile.open(path);
        try {
            return load(file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * The model in an open file, which then owns the file's mapping (closing the model unmaps it; the caller
     * closes the file only if this throws). For callers that read the tokenizer from the same file: one parse of
     * the metadata instead of two.
     */
    public static Model load(GgufFile file) {
        ModelConfig config = config(file);
        return new Model(config, weights(file, config), file.mapping());
    }

    /** The hyper-parameters from {@code {arch}.*} metadata (and the tensor index for vocab size and tying). */
    public static ModelConfig config(GgufFile f) {
        String archName = f.getString("general.architecture");
        ModelArch arch = ModelArch.of(archName);
        String p = archName + ".";
        int dim = f.getInt(p + "embedding_length");
        int nHeads = f.getInt(p + "attention.head_count");
        int nKvHeads = uniformInt(f, p + "attention.head_count_kv", nHeads);
        int headDim = f.getInt(p + "attention.key_length", dim / nHeads);
        int valueDim = f.getInt(p + "attention.value_length", headDim);
        if (valueDim != headDim) {
            throw new UnsupportedOperationException(f.path() + ": value_length " + valueDim + " != key_length "
                    + headDim + " is not supported");
        }
        int vocab = Math.toIntExact(f.tensor("token_embd.weight").rows());
        int declaredVocab = f.getInt(p + "vocab_size", vocab);
        if (declaredVocab != vocab) {
            throw new IllegalArgumentException(f.path() + ": " + p + "vocab_size " + declaredVocab
                    + " != token_embd rows " + vocab);
        }
        return new ModelConfig(archName, dim, f.getInt(p + "feed_forward_length"), f.getInt(p + "block_count"),
                nHeads, nKvHeads, headDim, vocab, f.getInt(p + "context_length"),
                f.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f), f.getFloat(p + "rope.freq_base", 10000f),
                ropeScaling(f, p), arch.ropeNeox, f.tensorOrNull("output.weight") == null,
                f.getInt(p + "rope.dimension_count", headDim),
                arch.qkvBias || f.tensorOrNull("blk.0.attn_q.bias") != null,
                arch.qkNorm || f.tensorOrNull("blk.0.attn_q_norm.weight") != null);
    }

    private static RopeScaling ropeScaling(GgufFile f, String p) {
        String type = f.getString(p + "rope.scaling.type", null);
        float factor = f.getFloat(p + "rope.scaling.factor", f.getFloat(p + "rope.scale_linear", 0f));
        if (type == null) type = factor > 0 && factor != 1f ? "linear" : "none";
        return switch (type) {
            case "none" -> null;
            case "linear" -> factor == 1f ? null : RopeScaling.linear(factor);
            default -> throw new UnsupportedOperationException(f.path() + ": rope scaling type '" + type
                    + "' is not supported (supported: none, linear, llama3 via rope_freqs)");
        };
    }

    /** A per-layer metadata value that some files store as an array: all layers must agree. */
    private static int uniformInt(GgufFile f, String key, int dflt) {
        if (f.getIntArray(key) instanceof int[] perLayer) {
            for (int v : perLayer) {
                if (v != perLayer[0]) {
                    throw new UnsupportedOperationException(f.path() + ": per-layer " + key + " values differ");
                }
            }
            return perLayer.length == 0 ? dflt : perLayer[0];
        }
        return f.getInt(key, dflt);
    }

    static Weights weights(GgufFile f, ModelConfig c) {
        List<LayerWeights> layers = new ArrayList<>(c.nLayers());
        for (int l = 0; l < c.nLayers(); l++) {
            String b = "blk." + l + ".";
            layers.add(new LayerWeights(vector(f, b + "attn_norm.weight"), matrix(f, b + "attn_q.weight"),
                    matrix(f, b + "attn_k.weight"), matrix(f, b + "attn_v.weight"),
                    optionalVector(f, b + "attn_q.bias"), optionalVector(f, b + "attn_k.bias"),
                    optionalVector(f, b + "attn_v.bias"), optionalVector(f, b + "attn_q_norm.weight"),
                    optionalVector(f, b + "attn_k_norm.weight"), matrix(f, b + "attn_output.weight"),
                    vector(f, b + "ffn_norm.weight"), matrix(f, b + "ffn_gate.weight"), matrix(f, b + "ffn_up.weight"),
                    matrix(f, b + "ffn_down.weight")));
        }
        Tensor embedding = matrix(f, "token_embd.weight");
        Tensor output = c.tiedEmbeddings() ? embedding : matrix(f, "output.weight");
        return new Weights(embedding, layers, vector(f, "output_norm.weight"), output,
                optionalVector(f, "rope_freqs.weight"));
    }

    private static Tensor matrix(GgufFile f, String name) {
        GgufTensorInfo info = f.tensor(name);
        if (info.shape().length != 2) {
            throw new IllegalArgumentException(f.path() + ": tensor " + name + " should be 2-D, has shape "
                    + java.util.Arrays.toString(info.shape()));
        }
        // Q4_0 matrices are repacked for the tiled kernels, Q8_0 ones where the native kernel runs (same bytes,
        // living as long as the mapping; the mapped pages are released).
        return switch (Tensor.of(info)) {
            case Q4_0Tensor q -> Q4_0TiledTensor.repack(q, n -> f.allocate(n, 64));
            case Q8_0Tensor q -> Q8_0TiledTensor.repack(q, n -> f.allocate(n, 64));
            case Tensor t -> t;
        };
    }

    private static float[] vector(GgufFile f, String name) {
        return Tensor.of(f.tensor(name)).toFloatArray();
    }

    private static float[] optionalVector(GgufFile f, String name) {
        GgufTensorInfo info = f.tensorOrNull(name);
        return info == null ? null : Tensor.of(info).toFloatArray();
    }
}
