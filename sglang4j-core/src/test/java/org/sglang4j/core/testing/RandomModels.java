package org.sglang4j.core.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * {@link #mistral()}, adjust with the withers, and write GGUF ({@link #write}) or a Hugging Face directory
 * ({@link #writeHf}) holding the same numbers.
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

    /** One generated tensor: GGUF name, PyTorch-order shape ({@code [out, in]} or {@code [n]}), values. */
    private record Generated(String name, int[] shape, float[] values, boolean matrix) {}

    /**
     * Draws every tensor, in GGUF naming and layout (llama-arch Q/K rows permuted for adjacent-pair rope, as
     * llama.cpp's converter writes them). Matrix values are rounded to {@link #type()} so every format written
     * from them holds exactly the same numbers.
     */
    private List<Generated> generate(int vocabSize) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Generated> out = new ArrayList<>();
        int qDim = nHeads * headDim;
        int kvDim = nKvHeads * headDim;
        float embStd = logitStd / (float) Math.sqrt(dim);
        out.add(matrix("token_embd.weight", vocabSize, dim, embStd, rnd));
        out.add(vector("output_norm.weight", dim, 1f, 0.2f, rnd));
        if (!tied) out.add(matrix("output.weight", vocabSize, dim, embStd, rnd));
        if (llama3Rope != null) out.add(new Generated("rope_freqs.weight", new int[] {headDim / 2}, llama3RopeFactors(), false));
        for (int l = 0; l < nLayers; l++) {
            String b = "blk." + l + ".";
            out.add(vector(b + "attn_norm.weight", dim, 1f, 0.2f, rnd));
            out.add(matrix(b + "attn_q.weight", qDim, dim, scale / (float) Math.sqrt(dim), rnd));
            out.add(matrix(b + "attn_k.weight", kvDim, dim, scale / (float) Math.sqrt(dim), rnd));
            out.add(matrix(b + "attn_v.weight", kvDim, dim, scale / (float) Math.sqrt(dim), rnd));
            if (qkvBias) {
                out.add(vector(b + "attn_q.bias", qDim, 0f, 0.5f, rnd));
                out.add(vector(b + "attn_k.bias", kvDim, 0f, 0.5f, rnd));
                out.add(vector(b + "attn_v.bias", kvDim, 0f, 0.5f, rnd));
            }
            if (qkNorm) {
                out.add(vector(b + "attn_q_norm.weight", headDim, 1f, 0.2f, rnd));
                out.add(vector(b + "attn_k_norm.weight", headDim, 1f, 0.2f, rnd));
            }
            out.add(matrix(b + "attn_output.weight", dim, qDim, scale / (float) Math.sqrt(qDim), rnd));
            out.add(vector(b + "ffn_norm.weight", dim, 1f, 0.2f, rnd));
            out.add(matrix(b + "ffn_gate.weight", hiddenDim, dim, scale / (float) Math.sqrt(dim), rnd));
            out.add(matrix(b + "ffn_up.weight", hiddenDim, dim, scale / (float) Math.sqrt(dim), rnd));
            out.add(matrix(b + "ffn_down.weight", dim, hiddenDim, scale / (float) Math.sqrt(hiddenDim), rnd));
        }
        return out;
    }

    /** Writes the model as GGUF to {@code file} and returns it. */
    public Path write(Path file) throws IOException {
        requireWritableType();
        GgufWriter w = new GgufWriter();
        int vocabSize = copyTokenizer(w);
        String p = arch + ".";
        w.put("general.architecture", arch).put("general.name", "random-" + arch + "-" + seed)
                .putUInt32("general.file_type", switch (type) { case F16 -> 1; case BF16 -> 32; default -> 0; })
                .putUInt32(p + "context_length", CONTEXT_LENGTH).putUInt32(p + "embedding_length", dim)
                .putUInt32(p + "block_count", nLayers).putUInt32(p + "feed_forward_length", hiddenDim)
                .putUInt32(p + "attention.head_count", nHeads).putUInt32(p + "attention.head_count_kv", nKvHeads)
                .putUInt32(p + "attention.key_length", headDim).putUInt32(p + "attention.value_length", headDim)
                .putUInt32(p + "rope.dimension_count", headDim).putUInt32(p + "vocab_size", vocabSize)
                .put(p + "attention.layer_norm_rms_epsilon", 1e-5f).put(p + "rope.freq_base", ropeTheta);
        for (Generated g : generate(vocabSize)) {
            long[] shape = new long[g.shape.length];
            for (int i = 0; i < shape.length; i++) shape[i] = g.shape[shape.length - 1 - i]; // ggml order
            if (!g.matrix || type == GgmlType.F32) w.addF32(g.name, shape, g.values);
            else w.addTensor(g.name, shape, type, encode16(g.values));
        }
        w.write(file);
        return file;
    }

    /**
     * Writes the same model as a Hugging Face directory ({@code config.json} + {@code model.safetensors}, matrices
     * in {@link #type()}): HF tensor names, and llama Q/K rows un-permuted back to the layout HF's
     * {@code rotate_half} expects. Llama 3 rope scaling goes into {@code rope_scaling} instead of a tensor.
     */
    public Path writeHf(Path dir) throws IOException {
        requireWritableType();
        Files.createDirectories(dir);
        int vocabSize;
        try (GgufFile v = GgufFile.open(vocab)) {
            int all = v.getStringArray("tokenizer.ggml.tokens").length;
            vocabSize = vocabLimit > 0 ? Math.min(vocabLimit, all) : all;
        }
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Generated g : generate(vocabSize)) {
            String name = hfName(g.name);
            if (name == null) continue;
            float[] values = g.values;
            if (arch.equals("llama") && (g.name.endsWith("attn_q.weight") || g.name.endsWith("attn_k.weight"))) {
                values = unpermute(values, g.shape[0] / headDim, g.shape[1]);
            }
            byte[] bytes = g.matrix && type != GgmlType.F32 ? encode16(values) : encode32(values);
            String dtype = g.matrix ? type.name() : "F32";
            if (header.length() > 1) header.append(',');
            header.append('"').append(name).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":")
                    .append(Arrays.toString(g.shape).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(data.size()).append(',').append(data.size() + bytes.length).append("]}");
            data.write(bytes);
        }
        byte[] h = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("model.safetensors")))) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            data.writeTo(out);
        }
        String ropeScaling = llama3Rope == null ? "null" : String.format(Locale.ROOT,
                "{\"rope_type\": \"llama3\", \"factor\": %s, \"low_freq_factor\": %s, \"high_freq_factor\": %s, "
                        + "\"original_max_position_embeddings\": %d}", llama3Rope.factor(), llama3Rope.lowFreqFactor(),
                llama3Rope.highFreqFactor(), llama3Rope.originalContextLength());
        String config = String.format(Locale.ROOT, """
                {"architectures": ["%s"], "model_type": "%s", "hidden_size": %d, "intermediate_size": %d,
                 "num_hidden_layers": %d, "num_attention_heads": %d, "num_key_value_heads": %d, "head_dim": %d,
                 "vocab_size": %d, "max_position_embeddings": %d, "rms_norm_eps": 1e-05, "rope_theta": %s,
                 "tie_word_embeddings": %s, "rope_scaling": %s, "torch_dtype": "%s"}
                """, switch (arch) { case "qwen2" -> "Qwen2ForCausalLM"; case "qwen3" -> "Qwen3ForCausalLM";
                    default -> "LlamaForCausalLM"; }, arch, dim, hiddenDim, nLayers, nHeads, nKvHeads, headDim,
                vocabSize, CONTEXT_LENGTH, ropeTheta, tied, ropeScaling,
                switch (type) { case F16 -> "float16"; case BF16 -> "bfloat16"; default -> "float32"; });
        Files.writeString(dir.resolve("config.json"), config);
        return dir;
    }

    /** HF name of a GGUF tensor (null for {@code rope_freqs}, which HF expresses in the config). */
    private static String hfName(String gguf) {
        switch (gguf) {
            case "token_embd.weight": return "model.embed_tokens.weight";
            case "output_norm.weight": return "model.norm.weight";
            case "output.weight": return "lm_head.weight";
            case "rope_freqs.weight": return null;
            default: break;
        }
        String[] parts = gguf.split("\\.", 3); // blk, N, rest
        String p = "model.layers." + parts[1] + ".";
        return p + switch (parts[2]) {
            case "attn_norm.weight" -> "input_layernorm.weight";
            case "attn_q.weight" -> "self_attn.q_proj.weight";
            case "attn_k.weight" -> "self_attn.k_proj.weight";
            case "attn_v.weight" -> "self_attn.v_proj.weight";
            case "attn_q.bias" -> "self_attn.q_proj.bias";
            case "attn_k.bias" -> "self_attn.k_proj.bias";
            case "attn_v.bias" -> "self_attn.v_proj.bias";
            case "attn_q_norm.weight" -> "self_attn.q_norm.weight";
            case "attn_k_norm.weight" -> "self_attn.k_norm.weight";
            case "attn_output.weight" -> "self_attn.o_proj.weight";
            case "ffn_norm.weight" -> "post_attention_layernorm.weight";
            case "ffn_gate.weight" -> "mlp.gate_proj.weight";
            case "ffn_up.weight" -> "mlp.up_proj.weight";
            case "ffn_down.weight" -> "mlp.down_proj.weight";
            default -> throw new IllegalStateException("no HF name for " + gguf);
        };
    }

    /**
     * Inverse of llama.cpp's converter permutation of Q/K rows: GGUF row {@code h·d + 2j + i} holds HF row
     * {@code h·d + i·d/2 + j} (d = head size, i ∈ {0, 1}, j < d/2).
     */
    private float[] unpermute(float[] gguf, int heads, int cols) {
        float[] hf = new float[gguf.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < half; j++) {
                    System.arraycopy(gguf, (h * headDim + 2 * j + i) * cols, hf, (h * headDim + i * half + j) * cols, cols);
                }
            }
        }
        return hf;
    }

    private void requireWritableType() {
        if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.BF16) {
            throw new IllegalArgumentException("write F32, F16 or BF16 and quantize with llama-quantize, not " + type);
        }
    }

    private byte[] encode16(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(type == GgmlType.BF16 ? (short) (Float.floatToRawIntBits(v) >>> 16) : Float.floatToFloat16(v));
        }
        return b.array();
    }

    private static byte[] encode32(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
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

    /** Drawn N(0, std²), then rounded to the model's type (exact in every format written). */
    private Generated matrix(String name, int rows, int cols, float std, SplittableRandom rnd) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            float x = (float) (rnd.nextGaussian() * std);
            v[i] = switch (type) {
                case F16 -> Float.float16ToFloat(Float.floatToFloat16(x));
                case BF16 -> Float.intBitsToFloat((Float.floatToRawIntBits(x) + 0x8000) & 0xFFFF0000);
                default -> x;
            };
        }
        return new Generated(name, new int[] {rows, cols}, v, true);
    }

    private static Generated vector(String name, int n, float mean, float std, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = mean + (float) (rnd.nextGaussian() * std);
        return new Generated(name, new int[] {n}, v, false);
    }
}
