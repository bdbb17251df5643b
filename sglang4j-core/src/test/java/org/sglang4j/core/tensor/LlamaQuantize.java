package org.sglang4j.core.tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.sglang4j.core.gguf.GgufWriter;
import org.sglang4j.core.testing.SharedData;

/**
 * Test fixture around the native {@code llama-quantize}: writes a tiny random-weight F32 Llama GGUF it accepts and
 * runs the tool on it. Converting a quantized file back to F32 ({@code --allow-requantize … F32}) makes llama.cpp
 * dequantize every tensor with its own code, which gives an exact reference for our block decoders.
 */
final class LlamaQuantize {
    private LlamaQuantize() {}

    static final int EMBD = 256;
    static final int FFN = 512;
    static final int VOCAB = 48;
    static final int LAYERS = 1;

    /** Names of the tiny model's matrices (every row length is a multiple of 256, as the K-quants need). */
    static List<String> matrixNames() {
        List<String> names = new ArrayList<>(List.of("token_embd.weight", "output.weight"));
        for (int l = 0; l < LAYERS; l++) {
            for (String t : List.of("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")) {
                names.add("blk." + l + "." + t + ".weight");
            }
        }
        return names;
    }

    /** ggml shape (innermost first) of a matrix of the tiny model. */
    static long[] shape(String name) {
        if (name.startsWith("token_embd") || name.startsWith("output.")) return new long[] {EMBD, VOCAB};
        if (name.contains("ffn_down")) return new long[] {FFN, EMBD};
        if (name.contains("ffn_")) return new long[] {EMBD, FFN};
        return new long[] {EMBD, EMBD};
    }

    /**
     * Gaussian weights with a per-row scale between 0.01 and 1 and occasional 8σ outliers, so blocks see very
     * different ranges (an outlier sets a block's scale; other blocks stay small).
     */
    static float[] randomWeights(long[] shape, Random rnd) {
        int n = Math.toIntExact(shape[0] * shape[1]);
        float[] v = new float[n];
        for (int r = 0; r < shape[1]; r++) {
            double scale = Math.pow(10, -2 + 2 * rnd.nextDouble());
            for (int c = 0; c < shape[0]; c++) {
                double g = rnd.nextGaussian();
                if (rnd.nextInt(500) == 0) g *= 8;
                v[(int) (r * shape[0] + c)] = (float) (g * scale);
            }
        }
        return v;
    }

    /** Writes the F32 model; returns the original weights by tensor name in {@code out}. */
    static void writeF32Model(Path path, java.util.Map<String, float[]> out, long seed) throws IOException {
        Random rnd = new Random(seed);
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.name", "sglang4j-quantize-oracle")
                .putUInt32("llama.context_length", 128)
                .putUInt32("llama.embedding_length", EMBD)
                .putUInt32("llama.block_count", LAYERS)
                .putUInt32("llama.feed_forward_length", FFN)
                .putUInt32("llama.attention.head_count", 4)
                .putUInt32("llama.attention.head_count_kv", 4)
                .putUInt32("llama.rope.dimension_count", EMBD / 4)
                .put("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putUInt32("llama.vocab_size", VOCAB);
        String[] tokens = new String[VOCAB];
        float[] scores = new float[VOCAB];
        int[] types = new int[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            tokens[i] = i < 3 ? new String[] {"<unk>", "<s>", "</s>"}[i] : "t" + i;
            types[i] = i < 3 ? 3 : 1;
        }
        w.put("tokenizer.ggml.model", "llama").put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.scores", scores).put("tokenizer.ggml.token_type", types)
                .putUInt32("tokenizer.ggml.bos_token_id", 1).putUInt32("tokenizer.ggml.eos_token_id", 2);
        for (String name : matrixNames()) {
            long[] shape = shape(name);
            float[] v = randomWeights(shape, rnd);
            out.put(name, v);
            w.addF32(name, shape, v);
        }
        float[] ones = new float[EMBD];
        java.util.Arrays.fill(ones, 1f);
        w.addF32("output_norm.weight", new long[] {EMBD}, ones);
        for (int l = 0; l < LAYERS; l++) {
            w.addF32("blk." + l + ".attn_norm.weight", new long[] {EMBD}, ones);
            w.addF32("blk." + l + ".ffn_norm.weight", new long[] {EMBD}, ones);
        }
        w.write(path);
    }

    /** Runs {@code llama-quantize [flags] in out TYPE} and fails with its output if it does not succeed. */
    static void run(Path in, Path out, String type, String... flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SharedData.llamaCpp().resolve("llama-quantize").toString());
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of(in.toString(), out.toString(), type, "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(out)) {
            throw new IllegalStateException("llama-quantize " + type + " failed:\n"
                    + new String(log, StandardCharsets.UTF_8));
        }
    }
}
