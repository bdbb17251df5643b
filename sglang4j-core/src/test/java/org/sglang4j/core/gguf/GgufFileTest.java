package org.sglang4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.testing.SharedData;

class GgufFileTest {

    @Test
    void readsTokenizerMetadataOfARealVocabFile() throws IOException {
        try (GgufFile f = GgufFile.open(SharedData.vocab("ggml-vocab-qwen2-rebuilt.gguf"))) {
            assertThat(f.version()).isIn(2, 3);
            assertThat(f.getString("tokenizer.ggml.model")).isEqualTo("gpt2");
            String[] tokens = f.getStringArray("tokenizer.ggml.tokens");
            assertThat(tokens).hasSize(151936);
            // id 151645 is <|im_end|>, the Qwen2 EOS (SOURCE.md of the vocab set).
            assertThat(tokens[151645]).isEqualTo("<|im_end|>");
            assertThat(f.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(151645);
            assertThat(f.tensors()).isEmpty();
        }
    }

    @Test
    void writtenFileReadsBackWithMetadataTensorsAndAlignment(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("w.gguf");
        float[] values = {1f, -2f, 3.5f, 0.25f, 5f, 6f};
        new GgufWriter()
                .put("general.architecture", "llama")
                .put("llama.block_count", 2)
                .put("tokenizer.ggml.tokens", new String[] {"a", "b\u00e9"})
                .put("tokenizer.ggml.scores", new float[] {0.5f, -1f})
                .addF32("w", new long[] {3, 2}, values)
                .addF16("h", new long[] {4}, new float[] {1f, 0.5f, -2f, 65504f})
                .write(p);
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.getString("general.architecture")).isEqualTo("llama");
            assertThat(f.getInt("llama.block_count")).isEqualTo(2);
            assertThat(f.getStringArray("tokenizer.ggml.tokens")).containsExactly("a", "b\u00e9");
            assertThat(f.getFloatArray("tokenizer.ggml.scores")).containsExactly(0.5f, -1f);
            GgufTensorInfo w = f.tensor("w");
            assertThat(w.cols()).isEqualTo(3);
            assertThat(w.rows()).isEqualTo(2);
            assertThat(f.dataOffset() % 32).isZero();
            float[] back = org.sglang4j.core.tensor.Tensor.of(w).toFloatArray();
            assertThat(back).containsExactly(values);
            GgufTensorInfo h = f.tensor("h");
            assertThat(h.type()).isEqualTo(GgmlType.F16);
            assertThat((f.dataOffset() + h.offset()) % 32).isZero();
        }
    }

    @Test
    void rejectsAFileThatIsNotGguf(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("x.gguf");
        Files.write(p, new byte[64]);
        assertThatThrownBy(() -> GgufFile.open(p)).isInstanceOf(IOException.class).hasMessageContaining("bad magic");
    }
}
