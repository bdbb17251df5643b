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
