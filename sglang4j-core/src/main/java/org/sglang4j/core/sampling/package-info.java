/** Turning one row of logits into the next token: penalties, grammar mask, bias, greedy/top-k/top-p/min-p, logprobs. */
package org.sglang4j.core.sampling;
