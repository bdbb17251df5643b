package org.sglang4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.testing.RandomModels;

/**
 * Every kind of {@code --model-path} reaches the engine with its tokenizer: a Hugging Face directory (config.json,
 * safetensors, tokenizer.json) serves the same greedy tokens as the GGUF file holding the same numbers.
 */
class ModelFilesTest {

    @TempDir
    Path dir;

    @Test
    void huggingFaceDirectoryServesTheSameTokensAsTheEquivalentGguf() throws Exception {
        RandomModels spec = RandomModels.qwen2().withSeed(21);
        Path gguf = spec.write(dir.resolve("m.gguf"));
        Path hf = spec.writeHf(dir.resolve("hf"));
        Files.writeString(hf.resolve("tokenizer.json"), byteLevelTokenizerJson(spec.vocabLimit()), StandardCharsets.UTF_8);

        int[] prompt = {1, 300, 301, 302, 303, 304, 305};
        int[] fromGguf;
        int[] fromHf;
        try (Engine e = Engine.start(RealModelAcceptanceTest.config(gguf, 512))) {
            fromGguf = RealModelAcceptanceTest.submit(e, "g", prompt, RealModelAcceptanceTest.greedy(12)).tokens();
        }
        try (Engine e = Engine.start(RealModelAcceptanceTest.config(hf, 512))) {
            fromHf = RealModelAcceptanceTest.submit(e, "h", prompt, RealModelAcceptanceTest.greedy(12)).tokens();
            // The directory's tokenizer.json is the one in use: 256 byte tokens, so ASCII text is one id per byte.
            assertThat(e.tokenizer().encode("order 42", false, false))
                    .containsExactly("order 42".chars().map(ch -> ch).toArray());
        }
        assertThat(fromHf).hasSize(12).containsExactly(fromGguf);
    }

    @Test
    void paddingIdsTheTokenizerCannotDecodeAreNeverSampled() throws Exception {
        RandomModels spec = RandomModels.qwen2().withSeed(21);
        Path hf = spec.writeHf(dir.resolve("hf"));
        // 256 tokens for a 4096-row model: as with Qwen2.5's padded embedding, most ids have no text.
        Files.writeString(hf.resolve("tokenizer.json"), byteLevelTokenizerJson(256), StandardCharsets.UTF_8);
        try (Engine e = Engine.start(RealModelAcceptanceTest.config(hf, 512))) {
            var run = RealModelAcceptanceTest.submit(e, "p", new int[] {1, 300, 301, 302, 303, 304, 305},
                    RealModelAcceptanceTest.greedy(12));
            int[] tokens = run.tokens();
            assertThat(tokens).hasSize(12);
            for (int id : tokens) assertThat(id).as("sampled id").isBetween(0, 255);
            assertThat(run.last().finishReason()).isInstanceOf(org.sglang4j.engine.req.FinishReason.Length.class);
        }
    }

    @Test
    void aPathThatIsNeitherAFileNorARepoIdIsAClearError() {
        assertThatThrownBy(() -> Engine.start(RealModelAcceptanceTest.config(dir.resolve("missing.gguf"), 64)))
                .hasMessageContaining("--model-path").hasMessageContaining("missing.gguf");
    }

    /**
     * A byte-level BPE tokenizer.json with the 256 byte tokens at ids 0..255, no merges, and {@code size - 256}
     * further plain tokens (reachable only as ids) so that it covers a model of {@code size} rows.
     */
    private static String byteLevelTokenizerJson(int size) {
        StringBuilder vocab = new StringBuilder();
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            int cp = printable ? b : 256 + extra++;
            if (b > 0) vocab.append(',');
            String ch = new String(Character.toChars(cp));
            vocab.append('"').append(ch.equals("\"") ? "\\\"" : ch.equals("\\") ? "\\\\" : ch).append("\":").append(b);
        }
        for (int id = 256; id < size; id++) vocab.append(",\"<extra_").append(id).append(">\":").append(id);
        return "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true},"
                + "\"post_processor\":null,\"decoder\":{\"type\":\"ByteLevel\"},"
                + "\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "},\"merges\":[]}}";
    }
}
