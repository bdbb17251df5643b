package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the engine and grammar modules rely on: exact token bytes, the EOS sets and BOS rules each file declares,
 * special-token parsing, and clear errors (or documented replacements) for bad input.
 */
class TokenizerContractTest {
    static VocabTokenizer tok(String name) { return VocabTestCases.tokenizer(name); }

    @Test
    void tokenBytesAreTheExactBytesEachTokenContributes() {
        VocabTokenizer qwen = tok("qwen2-rebuilt");
        assertThat(utf8(qwen.tokenBytes(qwen.tokenId("\u0120the")))).isEqualTo(" the"); // Ġthe
        assertThat(qwen.tokenBytes(qwen.tokenId("\u010a"))).containsExactly('\n');       // Ċ
        assertThat(utf8(qwen.tokenBytes(qwen.tokenId("<|im_end|>")))).isEqualTo("<|im_end|>");
        // A byte-level token holding the first two bytes of a three-byte character is exactly those bytes.
        int partial = qwen.tokenId(ByteLevel.encode(new byte[] {(byte) 0xE4, (byte) 0xB8}));
        if (partial >= 0) assertThat(qwen.tokenBytes(partial)).containsExactly(0xE4, 0xB8);
        VocabTokenizer spm = tok("llama-spm");
        assertThat(utf8(spm.tokenBytes(spm.tokenId("\u2581Hello")))).isEqualTo(" Hello");
        assertThat(spm.tokenBytes(spm.tokenId("<0x0A>"))).containsExactly(0x0A);
        assertThat(spm.tokenBytes(spm.tokenId("<0xE4>"))).containsExactly(0xE4);
        // Concatenated token bytes are the decoded text (no hidden per-token rules besides the SPM dummy prefix).
        int[] ids = qwen.encode("naïve 数据 🦙!", false, false);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int id : ids) all.writeBytes(qwen.tokenBytes(id));
        assertThat(utf8(all.toByteArray())).isEqualTo("naïve 数据 🦙!");
    }

    @Test
    void endOfGenerationSetsAndBosRulesFollowTheFiles() {
        VocabTokenizer qwen = tok("qwen2-rebuilt");
        assertThat(qwen.eosIds()).containsExactly(151645, 151643); // <|im_end|>, <|endoftext|>
        assertThat(qwen.encode("Hi", true, false)).containsExactly(13048); // add_bos_token = false
        VocabTokenizer llama3 = tok("llama-bpe-rebuilt");
        assertThat(llama3.eosIds()).startsWith(128001).contains(llama3.tokenId("<|eot_id|>"));
        assertThat(llama3.tokenId("<|eom_id|>")).isEqualTo(-1); // Llama 3.0 has no <|eom_id|>: "where present"
        assertThat(llama3.encode("Hi", true, false)).startsWith(128000);
        VocabTokenizer phi3 = tok("phi-3");
        assertThat(phi3.eosIds()).containsExactly(32000, phi3.tokenId("<|end|>"));
        assertThat(tok("llama-spm").encode("Hi", true, false)).startsWith(1);
        assertThat(tok("llama-spm").eosIds()).containsExactly(2);
        assertThat(tok("gpt-2").eosIds()).containsExactly(50256);
    }

    @Test
    void specialTokensAreMatchedOnlyWhenAskedAndNeverSplit() {
        VocabTokenizer qwen = tok("qwen2-rebuilt");
        int start = qwen.tokenId("<|im_start|>"), end = qwen.tokenId("<|im_end|>");
        int[] parsed = qwen.encode("<|im_start|>user\nhi<|im_end|>", false, true);
        assertThat(parsed[0]).isEqualTo(start);
        assertThat(parsed[parsed.length - 1]).isEqualTo(end);
        int[] plain = qwen.encode("<|im_start|>user\nhi<|im_end|>", false, false);
        assertThat(plain).doesNotContain(start, end);
        assertThat(qwen.decode(plain, true)).isEqualTo("<|im_start|>user\nhi<|im_end|>");
        // Unknown special-token text is plain text: documented, and it round-trips.
        int[] unknown = qwen.encode("<|im_foo|>", false, true);
        assertThat(unknown.length).isGreaterThan(1);
        assertThat(qwen.decode(unknown, true)).isEqualTo("<|im_foo|>");
        // skip_special_tokens drops control tokens but keeps user-defined ones (<think>), as HF does.
        int[] mixed = qwen.encode("<|im_start|><think>x</think><|im_end|>", false, true);
        assertThat(qwen.decode(mixed, true)).isEqualTo("<think>x</think>");
        assertThat(qwen.decode(mixed, false)).isEqualTo("<|im_start|><think>x</think><|im_end|>");
    }

    @Test
    void phi3ChatTokensSwallowTheNewlineAfterThemAsItsTokenizerJsonSays() {
        // Same ids as llama.cpp's llama-tokenize gives for this prompt (rstrip restored by model name).
        assertThat(tok("phi-3").encode("<|user|>\nHello<|end|>\n<|assistant|>\n", true, true))
                .containsExactly(1, 32010, 15043, 32007, 32001);
    }

    @Test
    void badInputGetsAClearErrorOrTheDocumentedReplacement() {
        VocabTokenizer qwen = tok("qwen2-rebuilt");
        assertThatThrownBy(() -> qwen.decode(new int[] {1, 999_999}, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999999");
        assertThatThrownBy(() -> qwen.tokenBytes(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> qwen.encode(null, false, false)).isInstanceOf(IllegalArgumentException.class);
        // Bytes that are not UTF-8 on their own decode to U+FFFD, never an exception.
        int e4 = qwen.tokenId(ByteLevel.encode(new byte[] {(byte) 0xE4}));
        assertThat(qwen.decode(new int[] {e4}, true)).isEqualTo("\uFFFD");
        // A lone surrogate is not text: it is encoded as U+FFFD.
        assertThat(qwen.decode(qwen.encode("a\uD800b", false, false), true)).isEqualTo("a\uFFFDb");
        assertThat(tok("llama-spm").decode(tok("llama-spm").encode("a\uDC00b", false, false), true)).isEqualTo("a\uFFFDb");
    }

    @Test
    void wordPieceDecodesWordsWithSpaces() {
        VocabTokenizer bert = tok("bert-bge");
        int[] ids = bert.encode("Hello, world!", true, false);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[ids.length - 1]).isEqualTo(102);
        // Every WordPiece word (punctuation included) is its own space-separated word; HF's optional
        // clean_up_tokenization (" ," -> ",") depends on neighbours and is not applied.
        assertThat(bert.decode(ids, true)).isEqualTo("hello , world !");
    }

    @Test
    void oneTokenizerServesManyThreadsAtOnce() throws Exception {
        VocabTokenizer qwen = tok("qwen2-rebuilt");
        String[] texts = new String[64];
        int[][] expected = new int[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = LlamaCppCrossCheckTest.randomText(i, 200 + i * 7);
            expected[i] = qwen.encode(texts[i], true, true);
        }
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int i = 0; i < texts.length; i++) {
                            if (!java.util.Arrays.equals(qwen.encode(texts[i], true, true), expected[i])) return false;
                        }
                    }
                    return true;
                }));
            }
            for (var f : futures) assertThat(f.get()).isTrue();
        }
    }

    private static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
