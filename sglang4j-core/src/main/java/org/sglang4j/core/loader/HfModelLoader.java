package org.sglang4j.core.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.arch.ModelArch;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.model.LayerWeights;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelConfig;
import org.sglang4j.core.model.RopeScaling;
import org.sglang4j.core.model.Weights;
import org.sglang4j.core.safetensors.SafetensorsModel;
import org.sglang4j.core.safetensors.SafetensorsTensor;
import org.sglang4j.core.tensor.Tensor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads a Hugging Face model directory: {@code config.json} plus {@code *.safetensors} (F32/F16/BF16, memory-mapped,
 * never copied). HF checkpoints store Q/K rows unpermuted and apply {@code rotate_half}, so rope is NeoX-style for
 * every family here (GGUF's llama files differ only because llama.cpp's converter permutes those rows). Tensor names:
 * {@code model.embed_tokens}, {@code model.norm}, {@code lm_head} (absent = tied) and per layer
 * {@code model.layers.N.input_layernorm|self_attn.{q,k,v,o}_proj|self_attn.{q,k}_norm|post_attention_layernorm|
 * mlp.{gate,up,down}_proj}.
 */
public final class HfModelLoader {
    public static final String CONFIG_FILE = "config.json";

    private HfModelLoader() {}

    public static Model load(Path dir) throws IOException {
        ModelConfig config = config(Files.readString(dir.resolve(CONFIG_FILE)), dir);
        SafetensorsModel st = SafetensorsModel.open(dir);
        try {
            return new Model(config, weights(st, config), st);
        } catch (RuntimeException e) {
            st.close();
            throw e;
        }
    }

    /** The hyper-parameters from {@code config.json}'s text ({@code where} names it in errors). */
    public static ModelConfig config(String json, Path where) {
        JsonNode c = JsonMapper.builder().build().readTree(json);
        String type = text(c, "model_type", "");
        ModelArch arch;
        try {
            arch = ModelArch.of(type);
        } catch (UnsupportedOperationException e) {
            throw new UnsupportedOperationException(where + ": " + e.getMessage(), e);
        }
        if (arch == ModelArch.LLAMA && c.path("attention_bias").asBoolean(false)) {
            throw new UnsupportedOperationException(where + ": llama with attention_bias=true is not supported");
        }
        int dim = integer(c, "hidden_size", where);
        int nHeads = integer(c, "num_attention_heads", where);
        int headDim = c.hasNonNull("head_dim") ? c.get("head_dim").asInt() : dim / nHeads;
        return new ModelConfig(type, dim, integer(c, "intermediate_size", where), integer(c, "num_hidden_layers", where),
                nHeads, c.hasNonNull("num_key_value_heads") ? c.get("num_key_value_heads").asInt() : nHeads, headDim,
                integer(c, "vocab_size", where), c.path("max_position_embeddings").asInt(2048),
                (float) c.path("rms_norm_eps").asDouble(1e-6), (float) c.path("rope_theta").asDouble(10000),
                ropeScaling(c.get("rope_scaling"), where), true, c.path("tie_word_embeddings").asBoolean(false),
                headDim, arch.qkvBias, arch.qkNorm);
    }

    private static RopeScaling ropeScaling(JsonNode s, Path where) {
        if (s == null || s.isNull()) return null;
        String type = text(s, "rope_type", text(s, "type", "default"));
        float factor = (float) s.path("factor").asDouble(1);
        return switch (type) {
            case "default" -> null;
            case "linear" -> RopeScaling.linear(factor);
            case "llama3" -> RopeScaling.llama3(factor, (float) s.path("low_freq_factor").asDouble(1),
                    (float) s.path("high_freq_factor").asDouble(4),
                    s.path("original_max_position_embeddings").asInt(8192));
            default -> throw new UnsupportedOperationException(where + ": rope_scaling type '" + type
                    + "' is not supported (supported: default, linear, llama3)");
        };
    }

    private static Weights weights(SafetensorsModel st, ModelConfig c) {
        List<LayerWeights> layers = new ArrayList<>(c.nLayers());
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "model.layers." + l + ".";
            String a = p + "self_attn.";
            layers.add(new LayerWeights(vector(st, p + "input_layernorm.weight"), matrix(st, a + "q_proj.weight"),
                    matrix(st, a + "k_proj.weight"), matrix(st, a + "v_proj.weight"), optionalVector(st, a + "q_proj.bias"),
                    optionalVector(st, a + "k_proj.bias"), optionalVector(st, a + "v_proj.bias"),
                    optionalVector(st, a + "q_norm.weight"), optionalVector(st, a + "k_norm.weight"),
                    matrix(st, a + "o_proj.weight"), vector(st, p + "post_attention_layernorm.weight"),
                    matrix(st, p + "mlp.gate_proj.weight"), matrix(st, p + "mlp.up_proj.weight"),
                    matrix(st, p + "mlp.down_proj.weight")));
        }
        Tensor embedding = matrix(st, "model.embed_tokens.weight");
        Tensor output = st.has("lm_head.weight") ? matrix(st, "lm_head.weight") : embedding;
        if (output == embedding && !c.tiedEmbeddings()) {
            throw new IllegalArgumentException(st.dir() + ": lm_head.weight is missing and tie_word_embeddings is false");
        }
        return new Weights(embedding, layers, vector(st, "model.norm.weight"), output, null);
    }

    private static Tensor matrix(SafetensorsModel st, String name) {
        SafetensorsTensor t = st.tensor(name);
        if (t.rank() != 2) {
            throw new IllegalArgumentException(st.dir() + ": tensor " + name + " should be 2-D, has shape "
                    + java.util.Arrays.toString(t.shape()));
        }
        GgmlType type = switch (t.dtype()) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            default -> throw new UnsupportedOperationException(st.dir() + ": tensor " + name + " has dtype " + t.dtype()
                    + "; supported: F32, F16, BF16");
        };
        return Tensor.of(type, t.data(), Math.toIntExact(t.dim(0)), Math.toIntExact(t.dim(1)));
    }

    private static float[] vector(SafetensorsModel st, String name) {
        return st.tensor(name).toFloatArray();
    }

    private static float[] optionalVector(SafetensorsModel st, String name) {
        return st.has(name) ? vector(st, name) : null;
    }

    private static int integer(JsonNode c, String key, Path where) {
        JsonNode v = c.get(key);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException(where + ": config.json lacks " + key);
        return v.asInt();
    }

    private static String text(JsonNode c, String key, String dflt) {
        JsonNode v = c.get(key);
        return v == null || v.isNull() ? dflt : v.asString();
    }
}
