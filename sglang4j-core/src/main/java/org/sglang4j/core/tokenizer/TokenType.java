package org.sglang4j.core.tokenizer;

/** What a vocabulary entry is, with the codes GGUF {@code tokenizer.ggml.token_type} uses. */
public enum TokenType {
    NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

    final int ggufCode;

    TokenType(int ggufCode) { this.ggufCode = ggufCode; }

    private static final TokenType[] BY_CODE = {NORMAL, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE};

    /** GGUF code → type; 0 ("undefined", written by some converters) reads as NORMAL. */
    public static TokenType ofGgufCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown GGUF token type " + code + " (expected 0..6)");
        }
        return BY_CODE[code];
    }

    /** Control-like tokens: not plain text, removed by skip_special_tokens. */
    public boolean isSpecial() {
        return this == CONTROL || this == UNKNOWN || this == UNUSED;
    }
}
