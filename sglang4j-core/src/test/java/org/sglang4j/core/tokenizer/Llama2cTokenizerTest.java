package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.testing.SharedData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** stories260K's tok512.bin against the ids llama2.c's own encode() gave (tokenizer.jsonl, reference.jsonl). */
class Llama2cTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static VocabTokenizer tok512() throws IOException {
        return Llama2cTokenizer.load(SharedData.stories260K().resolve("tok512.bin"), 512);
    }

    @Test
    void everyTokenizerJsonlCaseMatches() throws IOException {
        VocabTokenizer tok = tok512();
        List<String> failures = new ArrayList<>();
        List<String> lines = Files.readAllLines(SharedData.stories260K().resolve("tokenizer.jsonl"));
        for (String line : lines) {
            JsonNode c = JSON.readTree(line);
            String text = c.get("text").asString();
            int[] expected = ints(c.get("ids"));
            int[] got = tok.encode(text, c.get("bos").asBoolean(), false);
            if (c.get("eos").asBoolean()) got = append(got, 2);
            if (!Arrays.equals(expected, got)) {
                failures.add(GgufVocabVectorsTest.quote(text) + " expected " + Arrays.toString(expected) + " got "
                        + Arrays.toString(got));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void referencePromptsEncodeWithBos() throws IOException {
        VocabTokenizer tok = tok512();
        for (String line : Files.readAllLines(SharedData.stories260K().resolve("reference.jsonl"))) {
            JsonNode c = JSON.readTree(line);
            assertThat(tok.encode(c.get("prompt").asString(), true, false)).as(c.get("prompt").asString())
                    .containsExactly(ints(c.get("prompt_tokens")));
        }
    }

    @Test
    void decodeDropsTheDummyPrefixAndRestoresBytes() throws IOException {
        VocabTokenizer tok = tok512();
        for (String s : List.of("hello", "Once upon a time, there was a little girl.", "café ü ß 🦙", "\n\ta  b")) {
            assertThat(tok.decode(tok.encode(s, true, false), true)).isEqualTo(s);
        }
        assertThat(tok.bosId()).isEqualTo(1);
        assertThat(tok.eosIds()).containsExactly(2);
        assertThat(tok.tokenBytes(3 + 0x0A)).containsExactly(0x0A);
        assertThat(new String(tok.tokenBytes(410))).isEqualTo(" ");
    }

    /**
     * The same vocabulary written as a GGUF SentencePiece vocabulary (spaces as U+2581, as converters write it)
     * tokenizes identically: a stories260K model converted to GGUF keeps its tokenizer.
     */
    @Test
    void asGgufSentencePieceItGivesTheSameIds(@TempDir Path dir) throws IOException {
        VocabTokenizer bin = tok512();
        Vocabulary v = bin.vocabulary();
        String[] tokens = new String[v.size()];
        float[] scores = new float[v.size()];
        int[] types = new int[v.size()];
        for (int i = 0; i < v.size(); i++) {
            tokens[i] = v.text(i).replace(' ', '\u2581');
            scores[i] = v.score(i);
            types[i] = v.type(i).ggufCode;
        }
        Path gguf = dir.resolve("tok512.gguf");
        new org.sglang4j.core.gguf.GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", tokens).put("tokenizer.ggml.scores", scores)
                .put("tokenizer.ggml.token_type", types).put("tokenizer.ggml.bos_token_id", 1)
                .put("tokenizer.ggml.eos_token_id", 2).put("tokenizer.ggml.unknown_token_id", 0).write(gguf);
        VocabTokenizer fromGguf;
        try (var g = org.sglang4j.core.gguf.GgufFile.open(gguf)) {
            fromGguf = Tokenizers.fromGguf(g);
        }
        for (String line : Files.readAllLines(SharedData.stories260K().resolve("tokenizer.jsonl"))) {
            String text = JSON.readTree(line).get("text").asString();
            assertThat(fromGguf.encode(text, true, false)).as(text).isEqualTo(bin.encode(text, true, false));
            assertThat(fromGguf.decode(fromGguf.encode(text, true, false), true)).isEqualTo(text);
        }
    }

    @Test
    void truncatedFileIsRejectedWithItsName(@TempDir Path dir) throws IOException {
        Path cut = dir.resolve("cut.bin");
        byte[] all = Files.readAllBytes(SharedData.stories260K().resolve("tok512.bin"));
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> Llama2cTokenizer.load(cut, 512))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut.bin");
    }

    private static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }

    private static int[] append(int[] a, int v) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = v;
        return out;
    }
}
