package org.sglang4j.server;

import org.sglang4j.engine.ModelInfo;
import org.sglang4j.server.http.ApiException;

/**
 * The context-length rules every endpoint applies before a request reaches the engine: a prompt that leaves no
 * room is a 400; an explicit token budget that overflows the context is a 400 with OpenAI's wording; a default
 * budget is shortened to fit (so a long prompt still gets an answer).
 */
public final class ContextLimit {

    private ContextLimit() {}

    /**
     * @param maxNewTokens  requested output budget
     * @param explicit      the client set it (else it is a default that may be shortened)
     * @param model         context length and KV pool size
     * @param promptParam   prompt field for errors ({@code messages}, {@code prompt}, {@code text})
     * @param param         budget field for errors ({@code max_tokens}, {@code sampling_params.max_new_tokens})
     * @return the budget to use
     */
    public static int fit(int promptTokens, int maxNewTokens, boolean explicit, ModelInfo model, String promptParam,
                          String param) {
        int contextLength = model.contextLength();
        if (promptTokens >= contextLength) {
            throw ApiException.badRequest(promptParam, "the prompt has " + promptTokens + " tokens, but the model's "
                    + "context length is " + contextLength + " tokens (--context-length); shorten the prompt");
        }
        // A default budget must also fit the KV pool, which the engine checks for the whole request.
        int room = Math.min(contextLength, model.maxTotalTokens()) - promptTokens;
        if (maxNewTokens <= room) return maxNewTokens;
        if (!explicit) return Math.max(room, 0);
        if (promptTokens + (long) maxNewTokens <= contextLength) return maxNewTokens; // the engine names the pool limit
        throw ApiException.badRequest(param, "This model's maximum context length is " + contextLength
                + " tokens. However, you requested " + (promptTokens + maxNewTokens) + " tokens (" + promptTokens
                + " in the prompt, " + maxNewTokens + " for the completion). Reduce the prompt or " + param + ".");
    }
}
