package org.sglang4j.grammar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.testing.SharedData;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;

/** Real tokenizers from ../shared/testdata/vocab, loaded once per test JVM. */
final class Vocabs {
    static final String QWEN2 = "ggml-vocab-qwen2-rebuilt.gguf";
    static final String LLAMA_SPM = "ggml-vocab-llama-spm.gguf";
    static final String LLAMA_BPE = "ggml-vocab-llama-bpe-rebuilt.gguf";

    private static final ConcurrentHashMap<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, GrammarCompiler> COMPILERS = new ConcurrentHashMap<>();

    private Vocabs() {}

    static Tokenizer tokenizer(String file) {
        return TOKENIZERS.computeIfAbsent(file, f -> {
            try (GgufFile g = GgufFile.open(SharedData.vocab(f))) {
                return Tokenizers.fromGguf(g);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Tokenizer qwen2() {
        return tokenizer(QWEN2);
    }

    /** A shared compiler (and so a shared grammar cache) per vocabulary. */
    static GrammarCompiler compiler(String file) {
        return COMPILERS.computeIfAbsent(file, f -> new GrammarCompiler(tokenizer(f), 1024));
    }
}
