package org.sglang4j.engine.runner;

import java.util.List;
import org.sglang4j.engine.req.TokenLogprob;

/**
 * What one forward produced, per request of the batch (same order): the sampled next token (-1 when the step did
 * not reach the end of the sequence, the request is prefill-only, or sampling failed), its logprob entry when
 * requested (else null), the prompt logprobs computed in this step (empty unless requested), and why sampling
 * failed for that request (null normally; e.g. a grammar that allows no token).
 */
public record BatchResult(int[] nextTokenIds, TokenLogprob[] outputLogprobs, List<List<TokenLogprob>> inputLogprobs,
                          String[] errors) {}
