package org.sglang4j.core.tokenizer;

import java.util.List;

/**
 * Splits text into the pieces BPE runs on, with Hugging Face "Split(Isolated)" semantics: every regex match is a
 * piece and so is every stretch between matches, so the pieces cover the input exactly. A vocabulary names its
 * pre-tokenizer in GGUF {@code tokenizer.ggml.pre}; {@link #forGgufName} maps those names to the regexes the
 * models were trained with. The two hot ones (GPT-2 and Llama 3 / Qwen2) are hand-written scanners that implement
 * the same regex semantics as {@link RegexSplit} without backtracking.
 */
sealed interface PreTokenizer permits Gpt2Split, Llama3Split, RegexSplit, SplitSequence {

    /** Receives the pieces of a split, in order, as char index ranges of the text. */
    @FunctionalInterface
    interface PieceSink {
        void piece(int start, int end);
    }

    /** Calls {@code sink} once per piece of {@code text[from, to)}, in order; the pieces cover the range. */
    void split(String text, int from, int to, PieceSink sink);

    // The regexes as Hugging Face tokenizer.json files (and llama.cpp) spell them.
    String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /**
     * The pre-tokenizer for a GGUF {@code tokenizer.ggml.pre} value ({@code null} or missing means llama.cpp's
     * "default"). Unknown names are rejected rather than guessed: a wrong split silently changes every prompt.
     */
    static PreTokenizer forGgufName(String pre) {
        String name = pre == null ? "default" : pre;
        return switch (name) {
            case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral-llama", "dbrx", "smaug-bpe", "chatglm-bpe",
                 "llama4" -> new Llama3Split(3);
            case "qwen2", "qwen2.5", "qwen-2.5", "deepseek-r1-qwen", "stablelm2", "megrez", "hunyuan" ->
                    new Llama3Split(1);
            case "gpt-2", "gpt2", "mpt", "olmo", "jais", "trillion", "roberta-bpe" -> new Gpt2Split();
            case "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b" ->
                    new SplitSequence(List.of(RegexSplit.of("\\p{N}"), new Gpt2Split()));
            case "deepseek-llm" -> RegexSplit.sequence(
                    "[\r\n]",
                    "\\s?[A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-\u01bf\u01c4-\u0293\u0295-\u02af"
                            + "\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5"
                            + "\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u10a0-\u10c5\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba"
                            + "\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45"
                            + "\u1f48-\u1f4d\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe\u1fc2-"
                            + "\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107"
                            + "\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134\u2139\u213c-\u213f"
                            + "\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b\u2c7e-\u2ce4\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d"
                            + "\ua680-\ua69b\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17"
                            + "\uff21-\uff3a\uff41-\uff5a\ud801\udc00-\ud801\udc4f\ud801\udcb0-\ud801\udcd3\ud801\udcd8-\ud801"
                            + "\udcfb\ud803\udc80-\ud803\udcb2\ud803\udcc0-\ud803\udcf2\ud806\udca0-\ud806\udcdf\ud83a\udd00-"
                            + "\ud83a\udd43]+",
                    "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+",
                    "\\s+$",
                    "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+",
                    "\\p{N}+");
            case "deepseek-coder" -> RegexSplit.sequence(
                    "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+", "\\p{N}");
            case "deepseek-v3" -> RegexSplit.sequence(
                    "\\p{N}{1,3}",
                    "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+",
                    "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                            + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+");
            case "falcon" -> new SplitSequence(List.of(
                    RegexSplit.of("[\\p{P}\\$\\+<=>\\^~\\|`]+"), new Gpt2Split(), RegexSplit.of("[0-9][0-9][0-9]")));
            case "poro-chat", "bloom", "gpt3-finnish" -> RegexSplit.sequence(" ?[^(\\s|.,!?\u2026\u3002\uff0c\u3001\u0964\u06d4\u060c)]+");
            case "viking" -> RegexSplit.sequence(" ?[^(\\s|.,!?\u2026\u3002\uff0c\u3001\u0964\u06d4\u060c)]+", "\\p{N}");
            case "tekken" -> RegexSplit.sequence(
                    "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+|[^\\r\\n\\p{L}\\p{N}]?"
                            + "((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"
                            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
            case "gpt-4o" -> RegexSplit.sequence(
                    "[^\\r\\n\\p{L}\\p{N}]?((?=[\\p{L}])([^a-z]))*((?=[\\p{L}])([^A-Z]))+"
                            + "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\\r\\n\\p{L}\\p{N}]?"
                            + "((?=[\\p{L}])([^a-z]))+((?=[\\p{L}])([^A-Z]))*"
                            + "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\\p{N}{1,3}"
                            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
            case "default" -> new SplitSequence(List.of(
                    RegexSplit.of("[\\p{P}\\$\\+<=>\\^~\\|]+"), new Gpt2Split(), RegexSplit.of("\\p{N}+"),
                    RegexSplit.of("[0-9][0-9][0-9]")));
            default -> throw new UnsupportedOperationException("unknown tokenizer.ggml.pre \"" + name
                    + "\"; supported: default, llama-bpe/llama3, qwen2, gpt-2, mpt, olmo, starcoder, refact, "
                    + "command-r, smollm, deepseek-llm, deepseek-coder, deepseek-v3, falcon, bloom, poro-chat, "
                    + "viking, tekken, gpt-4o");
        };
    }
}
