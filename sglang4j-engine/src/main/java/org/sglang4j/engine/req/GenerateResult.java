package org.sglang4j.engine.req;

import java.util.List;

/**
 * A finished request as a whole ({@link org.sglang4j.engine.Engine#generate}): the output text and token ids,
 * why it ended, and the token counts SGLang reports in {@code meta_info}. For {@code n > 1}, the first sample.
 */
public record GenerateResult(String rid, String text, int[] outputIds, FinishReason finishReason, int promptTokens,
                             int completionTokens, int cachedTokens, List<TokenLogprob> outputLogprobs) {}
