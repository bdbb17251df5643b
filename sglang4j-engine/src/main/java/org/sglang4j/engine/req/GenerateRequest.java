package org.sglang4j.engine.req;

import org.sglang4j.core.sampling.SamplingParams;

/**
 * One generation request as the engine sees it: already tokenized (chat template applied by the caller).
 *
 * @param rid             unique request id (abort and logs use it)
 * @param inputIds        prompt tokens
 * @param returnLogprob   return logprobs of output tokens (and of input tokens from {@code logprobStartLen})
 * @param logprobStartLen first prompt position whose logprob is returned; -1 = output tokens only
 * @param topLogprobsNum  number of top alternatives per position (0 = none)
 * @param session         continue a session (SGLang {@code session_params}), or null
 * @param logMetrics      false for health probes: not counted in metrics
 */
public record GenerateRequest(String rid, int[] inputIds, SamplingParams sampling, boolean returnLogprob,
                              int logprobStartLen, int topLogprobsNum, SessionParams session, boolean logMetrics) {

    public GenerateRequest {
        if (rid == null || rid.isEmpty()) throw new IllegalArgumentException("rid must be non-empty");
        if (inputIds == null) throw new IllegalArgumentException("input_ids must be given");
        if (topLogprobsNum < 0) throw new IllegalArgumentException("top_logprobs_num must be >= 0");
    }

    public static GenerateRequest of(String rid, int[] inputIds, SamplingParams sampling) {
        return new GenerateRequest(rid, inputIds, sampling, false, -1, 0, null, true);
    }
}
