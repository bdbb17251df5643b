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
    void rejectsAFileThatIsNotGguf(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("x.gguf");
        Files.write(p, new byte[64]);
        assertThatThrownBy(() -> GgufFile.open(p)).isInstanceOf(IOException.class).hasMessageContaining("bad magic");
    }
}
