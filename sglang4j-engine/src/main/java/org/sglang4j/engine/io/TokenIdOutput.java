package org.sglang4j.engine.io;

import java.util.List;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.ReqState;
import org.sglang4j.engine.req.TokenLogprob;

/**
 * One request's result of one scheduler step, sent to the detokenizer (an entry of SGLang's
 * {@code BatchTokenIDOutput}). Only token ids: turning them into text is the output stage's job.
 */
public record TokenIdOutput(ReqState state, String rid, int[] newTokenIds, List<TokenLogprob> inputLogprobs,
                            List<TokenLogprob> outputLogprobs, FinishReason finishReason, int promptTokens,
                            int completionTokens, int cachedTokens, int retractions, int index) {}
