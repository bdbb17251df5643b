package org.sglang4j.core.tokenizer;

import org.sglang4j.core.gguf.GgufFile;

/** Where tokenizers come from: GGUF metadata, a Hugging Face model directory, or a llama.c tokenizer file. */
public final class Tokenizers {
    private Tokenizers() {}

    /** The tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} keys. */
    public static VocabTokenizer fromGguf(GgufFile gguf) {
        return GgufTokenizerLoader.load(gguf);
    }
}
