package org.sglang4j.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.bench.TinyModel;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufTensorInfo;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.model.ForwardState;
import org.sglang4j.core.model.KvCache;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelLoader;
import org.sglang4j.core.testing.SharedData;

/** The generated benchmark model: the shape, tokenizer and weight statistics it promises, readable by both engines. */
class RandomQwen2GgufTest {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    @Test
    void tinyModelHasTheQwen2ShapeAndTheFullQwen2Vocabulary() throws Exception {
        BenchModelShape s = BenchModelShape.TINY;
        try (GgufFile g = GgufFile.open(TinyModel.file("f16"));
             GgufFile vocab = GgufFile.open(SharedData.vocab("ggml-vocab-qwen2-rebuilt.gguf"))) {
            assertThat(g.getString("general.architecture")).isEqualTo("qwen2");
            assertThat(g.getInt("qwen2.embedding_length")).isEqualTo(s.dim());
            assertThat(g.getInt("qwen2.block_count")).isEqualTo(s.nLayers());
            assertThat(g.getInt("qwen2.feed_forward_length")).isEqualTo(s.hiddenDim());
            assertThat(g.getInt("qwen2.attention.head_count_kv")).isEqualTo(s.nKvHeads());
            assertThat(g.getFloat("qwen2.rope.freq_base", 0)).isEqualTo(1_000_000f);
            // llama.cpp reads hyper-parameters only as UINT32, which GgufFile returns as Long.
            assertThat(g.metadata().get("qwen2.block_count")).isInstanceOf(Long.class);
            assertThat(g.getStringArray("tokenizer.ggml.tokens")).containsExactly(vocab.getStringArray("tokenizer.ggml.tokens"));
            assertThat(g.getString("tokenizer.chat_template")).isEqualTo(vocab.getString("tokenizer.chat_template"));
            assertThat(g.tensor("token_embd.weight").type()).isEqualTo(GgmlType.F16);
            assertThat(g.tensorOrNull("output.weight")).as("tied embeddings").isNull();
            assertThat(g.tensorOrNull("blk.0.attn_q.bias")).as("qkv bias").isNotNull();
            assertThat(g.tensors()).hasSize(2 + 12 * s.nLayers());
        }
    }

    @Test
    void weightsHaveTheDocumentedSpreadSoLogitsAreNotFlat() throws Exception {
        BenchModelShape s = BenchModelShape.TINY;
        try (GgufFile g = GgufFile.open(TinyModel.file("f16"))) {
            assertThat(std(g, "token_embd.weight")).isCloseTo(s.logitStd() / Math.sqrt(s.dim()), within(0.01 * s.logitStd() / Math.sqrt(s.dim())));
            assertThat(std(g, "blk.1.attn_q.weight")).isCloseTo(1 / Math.sqrt(s.dim()), within(0.03 / Math.sqrt(s.dim())));
            assertThat(std(g, "blk.1.ffn_down.weight")).isCloseTo(1 / Math.sqrt(s.hiddenDim()), within(0.03 / Math.sqrt(s.hiddenDim())));
        }
        // A flat distribution over 151936 tokens has entropy ln(151936) ≈ 11.9 nats; real models sit far below.
        try (Model m = ModelLoader.load(TinyModel.file("q8_0")); ComputePool pool = new ComputePool(2)) {
            int n = 16;
            var cfg = m.config();
            int[] tokens = new int[n];
            int[] pos = new int[n];
            int[] slots = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = 1000 + 37 * i;
                pos[i] = i;
                slots[i] = i + 1;
            }
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            float[] logits = new float[n * cfg.vocabSize()];
            m.forward(new ForwardBatch(tokens, pos, slots, new int[] {0, n}, new int[][] {slots}, all),
                    new KvCache(cfg, n + 1, KvDtype.F32), new ForwardState(cfg, n, n), logits, pool);
            double meanEntropy = 0;
            for (int r = 0; r < n; r++) meanEntropy += entropy(logits, r * cfg.vocabSize(), cfg.vocabSize()) / n;
            assertThat(meanEntropy).isLessThan(Math.log(cfg.vocabSize()) - 3);
        }
    }

    @Test
    void generationIsDeterministic() throws Exception {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        RandomQwen2Gguf.write(BenchModelShape.TINY, SharedData.vocab("ggml-vocab-qwen2-rebuilt.gguf"), a);
        RandomQwen2Gguf.write(BenchModelShape.TINY, SharedData.vocab("ggml-vocab-qwen2-rebuilt.gguf"), b);
        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
    }

    @Test
    void quantizedFilesComeFromLlamaQuantizeAndLoad() throws Exception {
        try (GgufFile q8 = GgufFile.open(TinyModel.file("q8_0")); GgufFile q4 = GgufFile.open(TinyModel.file("q4_0"))) {
            assertThat(q8.tensor("blk.0.ffn_up.weight").type()).isEqualTo(GgmlType.Q8_0);
            assertThat(q4.tensor("blk.0.ffn_up.weight").type()).isEqualTo(GgmlType.Q4_0);
        }
        try (Model m = ModelLoader.load(TinyModel.file("q4_0"))) {
            assertThat(m.config().vocabSize()).isEqualTo(151936);
            assertThat(m.config().qkvBias()).isTrue();
            assertThat(m.config().tiedEmbeddings()).isTrue();
        }
        assertThat(TinyModel.models().ensure(BenchModelShape.TINY, "q8_0")).as("cached, not regenerated")
                .isEqualTo(TinyModel.file("q8_0"));
    }

    @Test
    void badShapesAndTypesAreRejectedByName() {
        assertThatThrownBy(() -> new BenchModelShape("x", 100, 128, 2, 4, 2, 4096, 1e6f, 4f, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim").hasMessageContaining("100");
        assertThatThrownBy(() -> TinyModel.models().ensure(BenchModelShape.TINY, "q3_xs"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("q3_xs");
        assertThatThrownBy(() -> new BenchModels(dir, dir.resolve("missing.gguf"), TinyModel.llamaCpp(), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.gguf");
    }

    private static double std(GgufFile g, String tensor) {
        GgufTensorInfo t = g.tensor(tensor);
        MemorySegment seg = t.data();
        long n = seg.byteSize() / 2;
        double sum = 0;
        double sq = 0;
        for (long i = 0; i < n; i++) {
            double v = Float.float16ToFloat(seg.get(F16, 2 * i));
            sum += v;
            sq += v * v;
        }
        double mean = sum / n;
        return Math.sqrt(sq / n - mean * mean);
    }

    private static double entropy(float[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        double z = 0;
        for (int i = 0; i < n; i++) z += Math.exp(logits[off + i] - max);
        double h = 0;
        for (int i = 0; i < n; i++) {
            double p = Math.exp(logits[off + i] - max) / z;
            if (p > 0) h -= p * Math.log(p);
        }
        return h;
    }
}
