package org.sglang4j.bench.jmh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufWriter;

/**
 * The speed peer for the kernel numbers: writes a random-weight Qwen2.5-0.5B-shaped GGUF (hidden 896, 24 layers,
 * 14 heads, 2 KV heads, FFN 4864, tied 151936-token embeddings, the Qwen2 vocabulary from
 * {@code ../shared/testdata/vocab}) with every matrix in one type, and runs the native {@code llama-bench} on it
 * with the same thread count. {@code LlamaCppPeer <shared dir> <Q8_0|Q4_0> [threads] [keep-model-at]}; prints
 * llama-bench's
 * table (decode: {@code tg32}; 8 tokens per forward: {@code pp8}).
 */
public final class LlamaCppPeer {
    private LlamaCppPeer() {}

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        GgmlType type = GgmlType.valueOf(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean keep = args.length > 3;
        Path model = keep ? Path.of(args[3]) : Files.createTempFile("qwen05b-" + type, ".gguf");
        try {
            write(model, type, shared.resolve("testdata/vocab/ggml-vocab-qwen2-rebuilt.gguf"));
            List<String> cmd = List.of(shared.resolve("peers/llama.cpp/llama-bench").toString(), "-m", model.toString(),
                    "-t", String.valueOf(threads), "-p", "8,512", "-n", "32", "-r", "3");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.MINUTES);
            System.out.println(String.join(" ", cmd));
            System.out.println(log);
        } finally {
            if (!keep) Files.deleteIfExists(model);
        }
    }

    static void write(Path path, GgmlType type, Path vocab) throws IOException {
        int hidden = DecodeStepBench.HIDDEN, kv = DecodeStepBench.KV, ffn = DecodeStepBench.FFN;
        int vocabSize = DecodeStepBench.VOCAB, layers = DecodeStepBench.LAYERS;
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "qwen2")
                .put("general.name", "sglang4j-bench-qwen2.5-0.5b-random")
                .putUInt32("qwen2.context_length", 32768)
                .putUInt32("qwen2.embedding_length", hidden)
                .putUInt32("qwen2.block_count", layers)
                .putUInt32("qwen2.feed_forward_length", ffn)
                .putUInt32("qwen2.attention.head_count", 14)
                .putUInt32("qwen2.attention.head_count_kv", 2)
                .put("qwen2.rope.freq_base", 1_000_000f)
                .put("qwen2.attention.layer_norm_rms_epsilon", 1e-6f)
                .putUInt32("general.file_type", type == GgmlType.Q8_0 ? 7 : 2);
        try (GgufFile v = GgufFile.open(vocab)) {
            w.copyMetadata(v, "tokenizer.");
            // GgufFile reads UINT32 as Long, which the writer would write back as UINT64; llama.cpp wants UINT32.
            v.metadata().forEach((k, val) -> {
                if (k.startsWith("tokenizer.") && val instanceof Long l && l >= 0 && l <= 0xFFFFFFFFL) w.putUInt32(k, l);
            });
        }
        long seed = 100;
        List<Object[]> tensors = new ArrayList<>();
        tensors.add(new Object[] {"token_embd.weight", new long[] {hidden, vocabSize}});
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            tensors.add(new Object[] {p + "attn_q.weight", new long[] {hidden, hidden}});
            tensors.add(new Object[] {p + "attn_k.weight", new long[] {hidden, kv}});
            tensors.add(new Object[] {p + "attn_v.weight", new long[] {hidden, kv}});
            tensors.add(new Object[] {p + "attn_output.weight", new long[] {hidden, hidden}});
            tensors.add(new Object[] {p + "ffn_gate.weight", new long[] {hidden, ffn}});
            tensors.add(new Object[] {p + "ffn_up.weight", new long[] {hidden, ffn}});
            tensors.add(new Object[] {p + "ffn_down.weight", new long[] {ffn, hidden}});
        }
        for (Object[] t : tensors) {
            long[] shape = (long[]) t[1];
            w.addTensor((String) t[0], shape, type, RandomWeights.bytes(type, shape[0] * shape[1], seed++));
        }
        float[] ones = new float[hidden];
        java.util.Arrays.fill(ones, 1f);
        w.addF32("output_norm.weight", new long[] {hidden}, ones);
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            w.addF32(p + "attn_norm.weight", new long[] {hidden}, ones);
            w.addF32(p + "ffn_norm.weight", new long[] {hidden}, ones);
            w.addF32(p + "attn_q.bias", new long[] {hidden}, new float[hidden]);
            w.addF32(p + "attn_k.bias", new long[] {kv}, new float[kv]);
            w.addF32(p + "attn_v.bias", new long[] {kv}, new float[kv]);
        }
        w.write(path);
    }
}
