package org.sglang4j.engine;

import java.util.Map;
import java.util.Set;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.scheduler.SchedulerConfig;

/**
 * Checks a request where it enters the engine (STYLE: bad input is rejected at the door with a message that names
 * the field), so the scheduler only ever sees requests that can run.
 */
final class RequestValidator {
    private RequestValidator() {}

    static void validate(GenerateRequest r, ModelInfo info, SchedulerConfig config, Set<String> openSessions) {
        SamplingParams sp = r.sampling();
        int len = r.inputIds().length;
        if (len == 0 && r.session() == null) throw new InvalidRequestException(400, "input_ids", "the input is empty");
        for (int i = 0; i < len; i++) {
            int id = r.inputIds()[i];
            if (id < 0 || id >= info.vocabSize()) {
                throw new InvalidRequestException(400, "input_ids", "token id " + id + " at position " + i
                        + " is outside the vocabulary [0, " + info.vocabSize() + ")");
            }
        }
        if (len >= config.contextLength()) {
            throw new InvalidRequestException(400, "input_ids", "The input (" + len + " tokens) is longer than the"
                    + " model's context length (" + config.contextLength() + " tokens).");
        }
        if ((long) len + sp.maxNewTokens() > config.contextLength()) {
            throw new InvalidRequestException(400, "max_new_tokens", "Requested token count exceeds the model's"
                    + " maximum context length of " + config.contextLength() + " tokens. You requested a total of "
                    + (len + sp.maxNewTokens()) + " tokens: " + len + " tokens from the input messages and "
                    + sp.maxNewTokens() + " tokens for the completion. Please reduce the number of tokens in the"
                    + " input messages or the completion to fit within the limit.");
        }
        if ((long) len + sp.maxNewTokens() > config.maxTotalTokens()) {
            throw new InvalidRequestException(400, "max_new_tokens", "the request needs " + (len + sp.maxNewTokens())
                    + " KV cache tokens (input + max_new_tokens) but the pool holds " + config.maxTotalTokens()
                    + "; lower max_new_tokens or start the server with a larger --max-total-tokens");
        }
        if (r.returnLogprob() && r.logprobStartLen() > len) {
            throw new InvalidRequestException(400, "logprob_start_len", "logprob_start_len " + r.logprobStartLen()
                    + " is beyond the input of " + len + " tokens");
        }
        if (r.topLogprobsNum() > info.vocabSize()) {
            throw new InvalidRequestException(400, "top_logprobs_num", "top_logprobs_num " + r.topLogprobsNum()
                    + " exceeds the vocabulary size " + info.vocabSize());
        }
        for (Map.Entry<Integer, Float> e : sp.logitBias().entrySet()) {
            if (e.getKey() < 0 || e.getKey() >= info.vocabSize()) {
                throw new InvalidRequestException(400, "logit_bias", "logit_bias token id " + e.getKey()
                        + " is outside the vocabulary [0, " + info.vocabSize() + ")");
            }
        }
        if (r.session() != null) {
            if (!openSessions.contains(r.session().id())) {
                throw new InvalidRequestException(400, "session_params", "session " + r.session().id() + " is not open");
            }
            if (sp.n() > 1) throw new InvalidRequestException(400, "n", "n > 1 cannot continue a session");
        }
        for (int id : sp.stopTokenIds()) {
            if (id < 0 || id >= info.vocabSize()) {
                throw new InvalidRequestException(400, "stop_token_ids", "stop token id " + id
                        + " is outside the vocabulary [0, " + info.vocabSize() + ")");
            }
        }
    }
}
