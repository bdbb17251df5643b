package org.sglang4j.core.tokenizer;

import org.sglang4j.core.gguf.GgufFile;

/** Where tokenizers come from: GGUF metadata, a Hugging Face model directory, or a llama.c tokenizer file. */
public final class Tokenizers {
    private Tokenizers() {}

    /** The tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} keys. */
    public static VocabTokenizer fromGguf(GgufFile gguf) {
        return GgufTokenizerLoader.load(gguf);
    }

    /**
     * The tokenizer of a Hugging Face model directory ({@code tokenizer.json}, plus {@code tokenizer_config.json},
     * {@code generation_config.json} and {@code chat_template.jinja} when present).
     */
    public static VocabTokenizer fromHfDirectory(java.nio.file.Path dir) throws java.io.IOException {
        return HfTokenizerLoader.load(dir);
    }

    /** A llama2.c tokenizer file ({@code tokenizer.bin}); the vocabulary size comes from the model checkpoint. */
    public static VocabTokenizer fromLlama2c(java.nio.file.Path file, int vocabSize) throws java.io.IOException {
        return Llama2cTokenizer.load(file, vocabSize);
    }
}
