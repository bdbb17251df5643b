package org.sglang4j.core.tokenizer;

/**
 * A token matched as a whole in the input before the model runs (HF "added token", GGUF CONTROL / USER_DEFINED).
 * {@code special} tokens ({@code <|im_end|>}) are matched only when the caller asks to parse special tokens;
 * the others ({@code <think>}, {@code <tool_call>}) always. {@code lstrip}/{@code rstrip} swallow whitespace on
 * that side; {@code singleWord} refuses matches inside a word.
 */
public record AddedToken(String content, int id, boolean special, boolean lstrip, boolean rstrip, boolean singleWord) {
    public AddedToken {
        if (content == null || content.isEmpty()) throw new IllegalArgumentException("added token " + id + " is empty");
    }

    public static AddedToken of(String content, int id, boolean special) {
        return new AddedToken(content, id, special, false, false, false);
    }
}
