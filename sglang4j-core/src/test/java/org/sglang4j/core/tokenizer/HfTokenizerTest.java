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
import tools.jackson.databind.node.ObjectNode;

/**
 * Loading from Hugging Face files: tokenizer.json files are derived from the GGUF vocabularies (see
 * {@link HfFixtures}) and must reproduce the same reference vectors; tokenizer_config.json and
 * generation_config.json decide BOS/EOS and the chat template.
 */
class HfTokenizerTest {
    @TempDir
    Path tmp;

    @Test
    void qwen2TokenizerJsonPassesTheQwen2Vectors() throws IOException {
        ObjectNode tj = HfFixtures.byteLevel(HfFixtures.read("qwen2-rebuilt"),
                HfFixtures.splitThenByteLevel(HfPipeline.HF_QWEN2), false);
        tj.putObject("normalizer").put("type", "NFC");
        ObjectNode config = HfFixtures.JSON.createObjectNode().put("eos_token", "<|im_end|>").putNull("bos_token")
                .put("add_bos_token", false).put("chat_template", "{{ messages[0]['content'] }}");
        VocabTokenizer tok = Tokenizers.fromHfDirectory(HfFixtures.write(tmp.resolve("qwen"), tj, config, null));
        assertVectors("qwen2-rebuilt", tok);
        assertThat(tok.eosIds()).containsExactly(tok.tokenId("<|im_end|>"), tok.tokenId("<|endoftext|>"));
        assertThat(tok.bosId()).isEqualTo(-1);
        assertThat(tok.encode("hi", true, false)).containsExactly(6023);
        assertThat(tok.chatTemplate()).isEqualTo("{{ messages[0]['content'] }}");
        // NFC: a decomposed é encodes like the composed one.
        assertThat(tok.encode("e\u0301", false, false)).isEqualTo(tok.encode("\u00e9", false, false));
        assertThat(tok.encode("<think>", false, false)).containsExactly(tok.tokenId("<think>"));
        assertThat(tok.isSpecial(tok.tokenId("<think>"))).isFalse();
        assertThat(tok.isSpecial(tok.tokenId("<|im_end|>"))).isTrue();
    }

    @Test
    void llama3TokenizerJsonPassesTheLlama3VectorsAndAddsBos() throws IOException {
        ObjectNode tj = HfFixtures.byteLevel(HfFixtures.read("llama-bpe-rebuilt"),
                HfFixtures.splitThenByteLevel(HfPipeline.HF_LLAMA3), true);
        ObjectNode post = tj.putObject("post_processor").put("type", "TemplateProcessing");
        post.putArray("single").addObject().putObject("SpecialToken").put("id", "<|begin_of_text|>");
        ((tools.jackson.databind.node.ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A");
        ObjectNode config = HfFixtures.JSON.createObjectNode().put("bos_token", "<|begin_of_text|>")
                .put("eos_token", "<|end_of_text|>");
        ObjectNode generation = HfFixtures.JSON.createObjectNode();
        generation.putArray("eos_token_id").add(128001).add(128009);
        VocabTokenizer tok = Tokenizers.fromHfDirectory(HfFixtures.write(tmp.resolve("llama3"), tj, config, generation));
        assertVectors("llama-bpe-rebuilt", tok);
        assertThat(tok.encode("Hello", true, false)).startsWith(128000).hasSize(2);
        assertThat(tok.eosIds()).startsWith(128001, 128009);
    }

    @Test
    void gpt2ByteLevelAndDeepseekCoderSplitsPassTheirVectors() throws IOException {
        ObjectNode gpt2 = HfFixtures.byteLevel(HfFixtures.read("gpt-2"), HfFixtures.JSON.createObjectNode()
                .put("type", "ByteLevel").put("add_prefix_space", false).put("use_regex", true), false);
        assertVectors("gpt-2", Tokenizers.fromHfDirectory(HfFixtures.write(tmp.resolve("gpt2"), gpt2, null, null)));
        // DeepSeek-Coder's own tokenizer.json regexes go through the generic java.util.regex path.
        ObjectNode ds = HfFixtures.byteLevel(HfFixtures.read("deepseek-coder"), HfFixtures.splitsThenByteLevel(
                "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+", "\\p{N}"), false);
        assertVectors("deepseek-coder", Tokenizers.fromHfDirectory(HfFixtures.write(tmp.resolve("dsc"), ds, null, null)));
    }

    @Test
    void llama2StyleSentencePieceTokenizerJsonPassesTheLlamaVectors() throws IOException {
        HfFixtures.GgufVocab v = HfFixtures.read("llama-spm");
        ObjectNode config = HfFixtures.JSON.createObjectNode().put("add_bos_token", true).put("bos_token", "<s>")
                .put("eos_token", "</s>").put("unk_token", "<unk>");
        for (boolean metaspace : new boolean[] {false, true}) {
            VocabTokenizer tok = Tokenizers.fromHfDirectory(
                    HfFixtures.write(tmp.resolve("spm" + metaspace), HfFixtures.sentencePiece(v, metaspace), config, null));
            assertVectors("llama-spm", tok);
            assertThat(tok.encode("Hello world", true, false)).startsWith(1);
            assertThat(tok.decode(tok.encode("Hello  world 🦙", true, false), true)).isEqualTo("Hello  world 🦙");
            assertThat(tok.eosIds()).containsExactly(2);
        }
    }

    @Test
    void bertWordPieceTokenizerJsonPassesTheBgeVectors() throws IOException {
        VocabTokenizer tok = Tokenizers.fromHfDirectory(
                HfFixtures.write(tmp.resolve("bert"), HfFixtures.wordPiece(HfFixtures.read("bert-bge")), null, null));
        assertVectors("bert-bge", tok);
        int[] ids = tok.encode("Hello world", true, false);
        assertThat(ids[0]).isEqualTo(tok.tokenId("[CLS]"));
        assertThat(ids[ids.length - 1]).isEqualTo(tok.tokenId("[SEP]"));
        assertThat(tok.decode(ids, true)).isEqualTo("hello world");
    }

    @Test
    void chatTemplateComesFromTheListFormOrTheJinjaFile() throws IOException {
        ObjectNode tj = HfFixtures.byteLevel(HfFixtures.read("gpt-2"), HfFixtures.JSON.createObjectNode()
                .put("type", "ByteLevel").put("use_regex", true), false);
        ObjectNode config = HfFixtures.JSON.createObjectNode();
        config.putArray("chat_template").addObject().put("name", "tool_use").put("template", "T");
        ((tools.jackson.databind.node.ArrayNode) config.get("chat_template")).addObject().put("name", "default").put("template", "D");
        assertThat(Tokenizers.fromHfDirectory(HfFixtures.write(tmp.resolve("a"), tj, config, null)).chatTemplate())
                .isEqualTo("D");
        Path b = HfFixtures.write(tmp.resolve("b"), tj, null, null);
        Files.writeString(b.resolve("chat_template.jinja"), "J");
        assertThat(Tokenizers.fromHfDirectory(b).chatTemplate()).isEqualTo("J");
    }

    @Test
    void unsupportedOrMissingFilesAreNamed() {
        ObjectNode unigram = HfFixtures.JSON.createObjectNode();
        unigram.putObject("model").put("type", "Unigram");
        Path dir = HfFixtures.write(tmp.resolve("u"), unigram, null, null);
        assertThatThrownBy(() -> Tokenizers.fromHfDirectory(dir))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Unigram");
        assertThatThrownBy(() -> Tokenizers.fromHfDirectory(tmp.resolve("nothing-here")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenizer.json");
        ObjectNode badSplit = HfFixtures.JSON.createObjectNode();
        badSplit.putObject("model").put("type", "BPE").putObject("vocab").put("a", 0);
        ((ObjectNode) badSplit.get("model")).putArray("merges");
        badSplit.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        badSplit.putObject("decoder").put("type", "ByteLevel");
        Path bad = HfFixtures.write(tmp.resolve("w"), badSplit, null, null);
        assertThatThrownBy(() -> Tokenizers.fromHfDirectory(bad))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("WhitespaceSplit");
    }

    static void assertVectors(String name, VocabTokenizer tok) {
        VocabTestCases cases = VocabTestCases.load(name);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.inputs().size(); i++) {
            int[] got = tok.encode(cases.inputs().get(i), false, false);
            if (!Arrays.equals(got, cases.expected().get(i))) {
                failures.add("#" + i + " " + GgufVocabVectorsTest.quote(cases.inputs().get(i)) + " expected "
                        + Arrays.toString(cases.expected().get(i)) + " got " + Arrays.toString(got));
            }
        }
        assertThat(failures).as(name).isEmpty();
    }
}
