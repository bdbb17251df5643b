package org.sglang4j.engine.runner;

import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * A model whose weights are loaded but whose KV pool does not exist yet: the engine sizes the pool first (from
 * {@code --max-total-tokens}, or from the machine's memory and {@code --mem-fraction-static}), then asks
 * {@link #forward} for the model bound to a pool of that many slots.
 *
 * @param kvBytesPerToken bytes of K and V per token over all layers at the chosen KV dtype
 */
public record LoadedModel(String architecture, String quantization, int contextLength, int vocabSize,
                          long weightBytes, long kvBytesPerToken, Tokenizer tokenizer, ForwardFactory forward) {

    /** Creates the forward pass over a KV pool of {@code kvSlots} tokens and buffers for one step's work. */
    @FunctionalInterface
    public interface ForwardFactory {
        ForwardModel create(int kvSlots, int maxTokensPerForward, int threads);
    }
}
