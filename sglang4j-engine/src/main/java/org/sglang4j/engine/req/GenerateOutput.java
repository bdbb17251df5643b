package org.sglang4j.engine.req;

import java.util.List;

/**
 * One incremental result delivered to a {@link GenerateListener}. Deltas are disjoint: concatenating
 * {@code textDelta} of all outputs gives the full output text (UTF-8 safe, stop strings trimmed unless
 * {@code no_stop_trim}).
 *
 * @param newTokenIds     output tokens since the previous event
 * @param inputLogprobs   prompt logprobs (first event only, when requested), else empty
 * @param outputLogprobs  logprobs of {@code newTokenIds}, when requested, else empty
 * @param finishReason    null while running; set on the last event
 * @param cachedTokens    prompt tokens served from the prefix cache
 * @param index           which of the {@code n} parallel samples this output belongs to (0 when n = 1); each
 *                        sample also has its own {@code rid} ({@code <rid>-<index>})
 */
public record GenerateOutput(String rid, int[] newTokenIds, String textDelta, List<TokenLogprob> inputLogprobs,
                             List<TokenLogprob> outputLogprobs, FinishReason finishReason, int promptTokens,
                             int completionTokens, int cachedTokens, int retractions, int index) {

    /** The original ten-field shape, for a single sample. */
    public GenerateOutput(String rid, int[] newTokenIds, String textDelta, List<TokenLogprob> inputLogprobs,
                          List<TokenLogprob> outputLogprobs, FinishReason finishReason, int promptTokens,
                          int completionTokens, int cachedTokens, int retractions) {
        this(rid, newTokenIds, textDelta, inputLogprobs, outputLogprobs, finishReason, promptTokens,
                completionTokens, cachedTokens, retractions, 0);
    }

    public boolean finished() {
        return finishReason != null;
    }
}
