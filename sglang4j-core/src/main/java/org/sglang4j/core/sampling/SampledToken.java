package org.sglang4j.core.sampling;

/**
 * What {@link Sampler#sample} chose for one request at one step.
 *
 * @param token   the chosen token id
 * @param logprob its log-probability under the raw model distribution (see {@link Logprobs}); NaN when the
 *                caller asked for no logprobs
 * @param top     the requested number of most likely alternatives (empty when none were asked for)
 */
public record SampledToken(int token, float logprob, TopLogprobs top) {}
