package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sglang4j.core.testing.SharedData;

/**
 * Beyond the 46 reference strings: a long random text full of pre-tokenizer edge cases is tokenized by the
 * native llama.cpp ({@code llama-tokenize}, an independent implementation that passes the same HF vectors) and by
 * us, and the ids must be identical. For baichuan and gpt-neox (no reference vectors upstream) this is the only
 * oracle.
 */
class LlamaCppCrossCheckTest {
    @TempDir
    Path tmp;

    private static final String[] PIECES = {
            "a", "Z", "hello", " world", "The", " quick", "'s", "'T", "'re", "'LL", "'d", "'", "1", "23", "4567",
            "3.14", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n ", "!", "?!", "...", "(", ")", "#", "$", "+",
            "€", "—", "，", "。", "我想在", "工作", "数据", "é", "Führer", "нещо", "на", "Български", "🦙", "😀",
            "✅", "<", ">", "/", "//", "{", "}", "::", "==", "->", "```", "\"", "_", "-", "0x1F", "ℕ", "½",
            "  \n", "\t\t", "fn main() {", "    return x;", "naïve", "café", "Ελληνικά", "עברית", "العربية", "ไทย",
            "日本語", "한국어", "\u00A0",
            // Not U+3000: DeepSeek-LLM's "\s?[…　-。]+" puts the ideographic space in a punctuation class, and
            // llama.cpp's std::regex port splits "   \u3000/+" differently from Oniguruma (HF) semantics.
    };

    static String randomText(long seed, int pieces) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces; i++) sb.append(PIECES[r.nextInt(PIECES.length)]);
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2-rebuilt", "llama-bpe-rebuilt", "gpt-2", "deepseek-llm", "deepseek-coder",
            "falcon", "mpt", "starcoder", "refact", "llama-spm", "phi-3", "baichuan", "gpt-neox"})
    void longRandomTextMatchesLlamaCpp(String name) throws Exception {
        String text = randomText(name.hashCode(), 3000);
        int[] expected = llamaTokenize(name, text, false);
        int[] got = VocabTestCases.tokenizer(name).encode(text, false, false);
        if (!Arrays.equals(expected, got)) {
            int i = 0;
            while (i < Math.min(expected.length, got.length) && expected[i] == got[i]) i++;
            VocabTokenizer tok = VocabTestCases.tokenizer(name);
            String context = tok.decode(Arrays.copyOfRange(got, Math.max(0, i - 5), Math.min(got.length, i + 5)), false);
            throw new AssertionError(name + ": first difference at token " + i + " near " + GgufVocabVectorsTest.quote(context)
                    + "\n llama.cpp " + Arrays.toString(Arrays.copyOfRange(expected, Math.max(0, i - 5), Math.min(expected.length, i + 5)))
                    + "\n ours      " + Arrays.toString(Arrays.copyOfRange(got, Math.max(0, i - 5), Math.min(got.length, i + 5))));
        }
    }

    /** Rendered chat prompts, special tokens parsed (what the engine sends for a chat request). */
    @ParameterizedTest
    @ValueSource(strings = {"qwen2-rebuilt", "llama-bpe-rebuilt", "phi-3"})
    void chatPromptsWithSpecialTokensMatchLlamaCpp(String name) throws Exception {
        VocabTokenizer tok = VocabTestCases.tokenizer(name);
        var template = org.sglang4j.core.chat.ChatTemplates.forModel(name.equals("llama-bpe-rebuilt") ? "llama-3" : null, tok);
        var messages = java.util.List.of(org.sglang4j.core.chat.ChatMessage.system("You are terse."),
                org.sglang4j.core.chat.ChatMessage.user("Hi! 你好?"), org.sglang4j.core.chat.ChatMessage.assistant("Hello.\n\nHow can I help?"),
                org.sglang4j.core.chat.ChatMessage.user("List 3 primes:\n- a\n- b"));
        String prompt = template.render(messages, org.sglang4j.core.chat.ChatTemplate.RenderOptions.generationPrompt());
        assertThat(tok.encode(prompt, false, true)).isEqualTo(llamaTokenize(name, prompt, true));
    }

    private int[] llamaTokenize(String name, String text, boolean parseSpecial) throws Exception {
        Path exe = SharedData.llamaCpp().resolve("llama-tokenize");
        Assumptions.assumeTrue(Files.isExecutable(exe), "llama-tokenize not available");
        Path in = tmp.resolve("prompt.txt");
        Files.writeString(in, text, StandardCharsets.UTF_8);
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(exe.toString(), "-m",
                SharedData.vocab("ggml-vocab-" + name + ".gguf").toString(), "-f", in.toString(), "--ids", "--no-bos",
                "--no-escape", "--log-disable"));
        if (!parseSpecial) cmd.add("--no-parse-special");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return parseIds(out.substring(out.lastIndexOf('[')));
    }

    private static int[] parseIds(String list) {
        String body = list.substring(1, list.length() - 1).strip();
        return body.isEmpty() ? new int[0] : Arrays.stream(body.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }
}
