package org.sglang4j.engine.req;

/** Log-probability of one token at one position, with the top alternatives when requested (best first). */
public record TokenLogprob(int tokenId, float logprob, int[] topIds, float[] topLogprobs) {}
