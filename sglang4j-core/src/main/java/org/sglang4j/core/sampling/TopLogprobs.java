package org.sglang4j.core.sampling;

/**
 * The {@code n} most likely tokens of one position and their log-probabilities, most likely first (ties: lower
 * id first). Parallel arrays, as SGLang's {@code output_top_logprobs} entries are (logprob, token id) pairs.
 */
public record TopLogprobs(int[] tokens, float[] logprobs) {
    public static final TopLogprobs NONE = new TopLogprobs(new int[0], new float[0]);

    public TopLogprobs {
        if (tokens.length != logprobs.length) {
            throw new IllegalArgumentException("tokens and logprobs differ in length: " + tokens.length + " vs "
                    + logprobs.length);
        }
    }

    public int size() {
        return tokens.length;
    }

    public int token(int i) {
        return tokens[i];
    }

    public float logprob(int i) {
        return logprobs[i];
    }
}
