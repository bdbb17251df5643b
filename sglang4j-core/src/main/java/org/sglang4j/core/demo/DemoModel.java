package org.sglang4j.core.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.SplittableRandom;
import org.sglang4j.core.gguf.GgufWriter;

/**
 * The built-in demo model served when no {@code --model-path} is given: a Llama-architecture model with
 * deterministic pseudo-random weights (≈3.4 M parameters) and a small byte-level BPE vocabulary with the ChatML
 * template. It exercises every stage of the real pipeline — GGUF loading, tokenizer, chat template, batched forward,
 * prefix cache, constrained decoding — offline on a fresh machine, but its output text is meaningless.
 */
public final class DemoModel {
    public static final String NAME = "sglang4j-demo";
    /** Bump when the generated file changes, so a stale cached copy is never reused. */
    static final int VERSION = 1;

    public static final String WARNING = "No --model-path given: serving the built-in demo model (" + NAME + "), "
            + "random weights, its output is MEANINGLESS. Point --model-path at a real GGUF file, e.g. "
            + "--model-path Qwen/Qwen2.5-0.5B-Instruct-GGUF:q8_0 or --model-path /models/qwen2.5-0.5b-instruct-q8_0.gguf";

    static final int DIM = 256;
    static final int HIDDEN = 768;
    static final int LAYERS = 4;
    static final int HEADS = 8;
    static final int KV_HEADS = 4;
    static final int CONTEXT = 4096;
    private static final long SEED = 20240611L;

    static final String CHATML_TEMPLATE = """
            {%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{%- endfor %}{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}""";

    private DemoModel() {}

    /**
     * The demo model file in the user cache ({@code $XDG_CACHE_HOME} or {@code ~/.cache}{@code /sglang4j}),
     * written on first use (atomically, so concurrent starts are safe) and reused afterwards.
     */
    public static Path file() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path file = base.resolve("sglang4j").resolve(NAME + "-v" + VERSION + ".gguf");
        if (Files.isRegularFile(file)) return file;
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), NAME, ".tmp");
            write(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo model to " + file, e);
        }
    }

    /** Writes the demo model (always byte-identical) to {@code file}. */
    public static void write(Path file) throws IOException {
        DemoVocabulary vocab = DemoVocabulary.build();
        int headDim = DIM / HEADS;
        GgufWriter w = new GgufWriter()
                .put("general.architecture", "llama")
                .put("general.name", NAME)
                .putUInt32("general.file_type", 0)
                .putUInt32("llama.context_length", CONTEXT)
                .putUInt32("llama.embedding_length", DIM)
                .putUInt32("llama.block_count", LAYERS)
                .putUInt32("llama.feed_forward_length", HIDDEN)
                .putUInt32("llama.attention.head_count", HEADS)
                .putUInt32("llama.attention.head_count_kv", KV_HEADS)
                .putUInt32("llama.rope.dimension_count", headDim)
                .putUInt32("llama.vocab_size", vocab.size())
                .put("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .put("llama.rope.freq_base", 10000f)
                .put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "qwen2")
                .put("tokenizer.ggml.tokens", vocab.tokens())
                .put("tokenizer.ggml.token_type", vocab.tokenTypes())
                .put("tokenizer.ggml.merges", vocab.merges())
                .putUInt32("tokenizer.ggml.bos_token_id", vocab.endOfText())
                .putUInt32("tokenizer.ggml.eos_token_id", vocab.imEnd())
                .putUInt32("tokenizer.ggml.padding_token_id", vocab.endOfText())
                .put("tokenizer.ggml.add_bos_token", false)
                .put("tokenizer.chat_template", CHATML_TEMPLATE);
        SplittableRandom rnd = new SplittableRandom(SEED);
        int kvDim = KV_HEADS * headDim;
        // Logit scale 4 (as the random test models use) keeps the distributions peaked enough to look like text.
        matrix(w, "token_embd.weight", vocab.size(), DIM, 4f / (float) Math.sqrt(DIM), rnd);
        vector(w, "output_norm.weight", DIM);
        for (int l = 0; l < LAYERS; l++) {
            String b = "blk." + l + ".";
            vector(w, b + "attn_norm.weight", DIM);
            matrix(w, b + "attn_q.weight", DIM, DIM, 1f / (float) Math.sqrt(DIM), rnd);
            matrix(w, b + "attn_k.weight", kvDim, DIM, 1f / (float) Math.sqrt(DIM), rnd);
            matrix(w, b + "attn_v.weight", kvDim, DIM, 1f / (float) Math.sqrt(DIM), rnd);
            matrix(w, b + "attn_output.weight", DIM, DIM, 1f / (float) Math.sqrt(DIM), rnd);
            vector(w, b + "ffn_norm.weight", DIM);
            matrix(w, b + "ffn_gate.weight", HIDDEN, DIM, 1f / (float) Math.sqrt(DIM), rnd);
            matrix(w, b + "ffn_up.weight", HIDDEN, DIM, 1f / (float) Math.sqrt(DIM), rnd);
            matrix(w, b + "ffn_down.weight", DIM, HIDDEN, 1f / (float) Math.sqrt(HIDDEN), rnd);
        }
        w.write(file);
    }

    private static void matrix(GgufWriter w, String name, int rows, int cols, float std, SplittableRandom rnd) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
        w.addF32(name, new long[] {cols, rows}, v);
    }

    private static void vector(GgufWriter w, String name, int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        w.addF32(name, new long[] {n}, v);
    }
}
