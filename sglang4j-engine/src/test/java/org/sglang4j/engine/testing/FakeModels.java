package org.sglang4j.engine.testing;

import org.sglang4j.engine.runner.LoadedModel;

/** {@link LoadedModel}s for engine tests that need no weights. */
public final class FakeModels {
    private FakeModels() {}

    /** A {@link TokenHashModel} with a {@link CharTokenizer}; {@code holder[0]} receives the model once created. */
    public static LoadedModel tokenHash(int vocab, int contextLength, TokenHashModel[] holder) {
        return new LoadedModel("token-hash", "f32", contextLength, vocab, 0, 8, new CharTokenizer(vocab),
                (slots, maxTokens, threads) -> {
                    TokenHashModel m = new TokenHashModel(vocab, slots);
                    if (holder != null) holder[0] = m;
                    return m;
                });
    }
}
