package org.sglang4j.bench.workload;

/**
 * One request's new content: the raw prompt (single-turn datasets) or the user message (multi-turn), its length in
 * tokens as our tokenizer counts it, and the number of tokens to generate.
 */
public record Turn(String text, int inputTokens, int outputLen) {

    public Turn {
        if (outputLen < 1) throw new IllegalArgumentException("output length must be >= 1, got " + outputLen);
    }
}
