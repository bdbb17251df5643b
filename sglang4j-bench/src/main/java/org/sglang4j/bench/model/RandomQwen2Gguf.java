package org.sglang4j.bench.model;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.sglang4j.bench.ProgressBar;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufWriter;

/**
 * Writes a random-weight {@code qwen2} GGUF in F16 (the input llama-quantize turns into Q8_0 / Q4_0) with the
 * tokenizer metadata of a real Qwen2 vocabulary file, so prompts tokenize like real text and both sglang4j and
 * llama.cpp load it. Matrices are N(0, 1/fan_in), so activations keep unit size through the layers; the tied
 * embedding uses {@code logitStd / sqrt(dim)} so logits spread by ≈ logitStd; norm weights are 1 ± 0.2 and the
 * q/k/v biases N(0, 0.5²). Rows are drawn in chunks, each from its own seed derived from (model seed, tensor,
 * chunk), so generation runs on all cores and the file is still byte-identical on every machine.
 */
public final class RandomQwen2Gguf {
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int ROWS_PER_CHUNK = 256;

    private RandomQwen2Gguf() {}

    /** Writes the F16 model of {@code shape} to {@code file}, reporting progress on stderr. */
    public static void write(BenchModelShape shape, Path vocab, Path file) throws IOException {
        GgufWriter w = new GgufWriter();
        int vocabSize = copyTokenizer(vocab, w);
        String p = "qwen2.";
        w.put("general.architecture", "qwen2").put("general.name", shape.name() + "-random")
                .putUInt32("general.file_type", 1)
                .putUInt32(p + "context_length", shape.contextLength()).putUInt32(p + "embedding_length", shape.dim())
                .putUInt32(p + "block_count", shape.nLayers()).putUInt32(p + "feed_forward_length", shape.hiddenDim())
                .putUInt32(p + "attention.head_count", shape.nHeads())
                .putUInt32(p + "attention.head_count_kv", shape.nKvHeads())
                .putUInt32(p + "vocab_size", vocabSize)
                .put(p + "attention.layer_norm_rms_epsilon", 1e-6f).put(p + "rope.freq_base", shape.ropeTheta());

        int dim = shape.dim();
        int kvDim = shape.nKvHeads() * shape.headDim();
        long total = (long) vocabSize * dim + shape.layerParams() + dim;
        SplittableRandom small = new SplittableRandom(shape.seed());
        try (ProgressBar progress = new ProgressBar("generating " + shape.name() + " F16 weights", total)) {
            var gen = new Object() {
                int tensorIndex;

                void matrix(String name, int rows, int cols, float std) {
                    w.addTensor(name, new long[] {cols, rows}, GgmlType.F16,
                            gaussianF16(rows, cols, std, shape.seed() * 1_000_003L + tensorIndex++, progress));
                }

                void vector(String name, int n, float mean, float std) {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) v[i] = mean + (float) (small.nextGaussian() * std);
                    w.addF32(name, new long[] {n}, v);
                    progress.step(n);
                }
            };
            gen.matrix("token_embd.weight", vocabSize, dim, shape.logitStd() / (float) Math.sqrt(dim));
            gen.vector("output_norm.weight", dim, 1f, 0.2f);
            for (int l = 0; l < shape.nLayers(); l++) {
                String b = "blk." + l + ".";
                float inStd = 1f / (float) Math.sqrt(dim);
                gen.vector(b + "attn_norm.weight", dim, 1f, 0.2f);
                gen.matrix(b + "attn_q.weight", dim, dim, inStd);
                gen.matrix(b + "attn_k.weight", kvDim, dim, inStd);
                gen.matrix(b + "attn_v.weight", kvDim, dim, inStd);
                gen.vector(b + "attn_q.bias", dim, 0f, 0.5f);
                gen.vector(b + "attn_k.bias", kvDim, 0f, 0.5f);
                gen.vector(b + "attn_v.bias", kvDim, 0f, 0.5f);
                gen.matrix(b + "attn_output.weight", dim, dim, inStd);
                gen.vector(b + "ffn_norm.weight", dim, 1f, 0.2f);
                gen.matrix(b + "ffn_gate.weight", shape.hiddenDim(), dim, inStd);
                gen.matrix(b + "ffn_up.weight", shape.hiddenDim(), dim, inStd);
                gen.matrix(b + "ffn_down.weight", dim, shape.hiddenDim(), 1f / (float) Math.sqrt(shape.hiddenDim()));
            }
        }
        System.err.println("writing " + file);
        w.write(file);
    }

    /** A rows × cols F16 matrix of N(0, std²) values, row-chunks generated in parallel from derived seeds. */
    static byte[] gaussianF16(int rows, int cols, float std, long tensorSeed, ProgressBar progress) {
        byte[] data = new byte[Math.multiplyExact(Math.multiplyExact(rows, cols), 2)];
        int chunks = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            SplittableRandom rnd = new SplittableRandom(tensorSeed * 31 + c);
            int from = c * ROWS_PER_CHUNK * cols;
            int to = Math.min(rows, (c + 1) * ROWS_PER_CHUNK) * cols;
            for (int i = from; i < to; i++) {
                SHORT_LE.set(data, 2 * i, Float.floatToFloat16((float) (rnd.nextGaussian() * std)));
            }
            progress.step(to - from);
        });
        return data;
    }

    /**
     * Copies {@code tokenizer.*} (tokens, merges, types, special ids, chat template) from the vocabulary file.
     * Scalar integers are written as UINT32, the only integer type llama.cpp accepts for these keys.
     */
    private static int copyTokenizer(Path vocab, GgufWriter w) throws IOException {
        try (GgufFile v = GgufFile.open(vocab)) {
            if (!v.has("tokenizer.ggml.tokens")) {
                throw new IllegalArgumentException(vocab + " has no tokenizer.ggml.tokens: not a vocabulary GGUF");
            }
            for (Map.Entry<String, Object> e : v.metadata().entrySet()) {
                if (!e.getKey().startsWith("tokenizer.")) continue;
                switch (e.getValue()) {
                    case Long l -> w.putUInt32(e.getKey(), l);
                    case Integer i when i >= 0 -> w.putUInt32(e.getKey(), i);
                    case Object o -> w.put(e.getKey(), o);
                }
            }
            return v.getStringArray("tokenizer.ggml.tokens").length;
        }
    }
}
