package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufWriter;

/** GGUF files with missing or contradictory tokenizer keys are rejected with a message naming the problem. */
class GgufTokenizerErrorsTest {
    @TempDir
    Path dir;

    /** A tiny byte-level vocabulary: the 256 byte tokens plus "ab" and one merge. */
    private GgufWriter tiny() {
        String[] tokens = new String[258];
        int[] types = new int[258];
        for (int b = 0; b < 256; b++) {
            tokens[b] = String.valueOf(ByteLevel.BYTE_TO_CHAR[b]);
            types[b] = 1;
        }
        tokens[256] = "ab";
        types[256] = 1;
        tokens[257] = "<|end|>";
        types[257] = 3;
        return new GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "gpt-2").put("tokenizer.ggml.tokens", tokens)
                .put("tokenizer.ggml.token_type", types).put("tokenizer.ggml.merges", new String[] {"a b"})
                .put("tokenizer.ggml.eos_token_id", 257);
    }

    private VocabTokenizer load(Consumer<GgufWriter> edit) throws IOException {
        GgufWriter w = tiny();
        edit.accept(w);
        Path p = dir.resolve("t" + System.nanoTime() + ".gguf");
        w.write(p);
        try (GgufFile g = GgufFile.open(p)) {
            return Tokenizers.fromGguf(g);
        }
    }

    @Test
    void aWellFormedTinyVocabularyWorks() throws IOException {
        VocabTokenizer t = load(w -> { });
        assertThat(t.encode("ab a", false, false)).containsExactly(256, ' ' == ' ' ? tokenOf(t, " ") : 0, 'a');
        assertThat(t.eosIds()).containsExactly(257);
        assertThat(t.encode("x<|end|>", false, true)).containsExactly('x', 257);
    }

    private static int tokenOf(VocabTokenizer t, String s) { return t.tokenId(ByteLevel.encode(s.getBytes())); }

    @Test
    void unknownPreTokenizerModelAndMissingKeysAreNamed() {
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.pre", "frobnicate")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("frobnicate");
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.model", "t5")))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("t5");
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.merges", 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("merges");
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.token_type", new int[] {1, 1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token_type");
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.token_type", new int[258]).put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.token_type", fill(258, 9))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token type 9");
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.add_bos_token", true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BOS");
        assertThatThrownBy(() -> load(w -> w.put("tokenizer.ggml.bos_token_id", 5000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000");
    }

    private static int[] fill(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
