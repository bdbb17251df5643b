package org.sglang4j.engine.req;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sglang4j.core.sampling.SamplerState;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.cache.TreeNode;
import org.sglang4j.grammar.GrammarMatcher;

/**
 * The scheduler's state of one request (SGLang {@code schedule_batch.Req}). Created at submit, then owned by the
 * scheduler thread alone.
 *
 * <p>Tokens: {@code tokens[0 .. originLen)} is the prompt ({@code origin_input_ids}),
 * {@code tokens[originLen .. seqLen)} the output so far. The KV of a request lives in its row of the
 * {@code ReqToTokenPool}:
 * <pre>
 * row position:  0 ............ cacheProtectedLen ............ kvLen ........ seqLen
 *                | owned by the radix tree,  | computed by this  | no KV yet    |
 *                | locked through lastNode   | request, private  | (the last    |
 *                |                           | (freed or cached  |  sampled     |
 *                |                           |  at finish)       |  token)      |
 * </pre>
 * A running request always has {@code kvLen == seqLen - 1}: its newest token is fed in the next decode step.
 */
public final class Req {
    private final String rid;
    private final int index;
    private final GenerateRequest request;
    private final SamplingParams sampling;
    private final ReqState state;
    private final int originLen;
    private int[] tokens;
    private int seqLen;
    private final long arrivalNanos;

    // KV bookkeeping (see the class comment)
    private int reqPoolIdx = -1;
    private TreeNode lastNode;
    private int cacheProtectedLen;
    private int kvLen;
    /** Tokens this round computes (a prefill chunk, or 1 for decode). */
    private int extendInputLen;
    /** True while a chunked prefill has prompt tokens left to compute. */
    private boolean chunked;

    private FinishReason finishedReason;
    private int retractions;
    private int cachedTokens = -1;
    private boolean inputLogprobsSent;
    private final List<TokenLogprob> inputLogprobs = new ArrayList<>();
    /** Penalty counts, RNG and min-new-tokens state; created by the runner at the first sampled token. */
    private SamplerState samplerState;
    /** Position in the request's grammar (constrained decoding), or null. */
    private GrammarMatcher grammar;

    public Req(String rid, int index, GenerateRequest request, SamplingParams sampling, int[] inputIds, ReqState state,
               long arrivalNanos) {
        this.rid = rid;
        this.index = index;
        this.request = request;
        this.sampling = sampling;
        this.state = state;
        this.originLen = inputIds.length;
        this.tokens = Arrays.copyOf(inputIds, inputIds.length + Math.min(sampling.maxNewTokens(), 64) + 1);
        this.seqLen = inputIds.length;
        this.arrivalNanos = arrivalNanos;
    }

    public String rid() { return rid; }
    public int index() { return index; }
    public GenerateRequest request() { return request; }
    public SamplingParams sampling() { return sampling; }
    public ReqState state() { return state; }
    public long arrivalNanos() { return arrivalNanos; }

    /** Prompt + output so far; valid in {@code [0, seqLen())}. The array may be longer and is replaced on growth. */
    public int[] tokens() { return tokens; }
    public int seqLen() { return seqLen; }
    public int originLen() { return originLen; }
    public int outputLen() { return seqLen - originLen; }
    public int[] originInputIds() { return Arrays.copyOf(tokens, originLen); }
    public int[] outputIds() { return Arrays.copyOfRange(tokens, originLen, seqLen); }
    public int lastToken() { return tokens[seqLen - 1]; }

    public void appendOutput(int token) {
        if (seqLen == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[seqLen++] = token;
    }

    /** Output tokens still allowed by {@code max_new_tokens}. */
    public int remainingNewTokens() {
        return Math.max(sampling.maxNewTokens() - outputLen(), 0);
    }

    public int reqPoolIdx() { return reqPoolIdx; }
    public void setReqPoolIdx(int idx) { reqPoolIdx = idx; }
    public TreeNode lastNode() { return lastNode; }
    public void setLastNode(TreeNode node) { lastNode = node; }
    public int cacheProtectedLen() { return cacheProtectedLen; }
    public void setCacheProtectedLen(int len) { cacheProtectedLen = len; }
    public int kvLen() { return kvLen; }
    public void setKvLen(int len) { kvLen = len; }
    public int extendInputLen() { return extendInputLen; }
    public void setExtendInputLen(int len) { extendInputLen = len; }
    public boolean isChunked() { return chunked; }
    public void setChunked(boolean chunked) { this.chunked = chunked; }

    /** Slots of the row this request owns outside the radix tree. */
    public int privateKvLen() {
        return reqPoolIdx < 0 ? 0 : kvLen - cacheProtectedLen;
    }

    /**
     * Longest prefix the cache may supply this round. At least one token must be computed to get logits, and
     * input logprobs from position {@code s} need the logits of position {@code s-1}, so those are not matched.
     */
    public int maxPrefixLen() {
        int max = seqLen - 1;
        if (request.returnLogprob() && request.logprobStartLen() >= 0 && !inputLogprobsSent) {
            max = Math.min(max, Math.max(request.logprobStartLen() - 1, 0));
        }
        return Math.max(max, 0);
    }

    /** First prompt position whose logprob is returned, or -1 when none are (or were already sent). */
    public int inputLogprobStart() {
        if (!request.returnLogprob() || request.logprobStartLen() < 0 || inputLogprobsSent) return -1;
        return Math.min(request.logprobStartLen(), originLen);
    }

    public List<TokenLogprob> inputLogprobs() { return inputLogprobs; }
    public boolean inputLogprobsSent() { return inputLogprobsSent; }
    public void markInputLogprobsSent() { inputLogprobsSent = true; }

    public FinishReason finishedReason() { return finishedReason; }
    public boolean finished() { return finishedReason != null; }
    public void finish(FinishReason reason) {
        if (finishedReason == null) finishedReason = reason;
    }

    public int retractions() { return retractions; }

    public SamplerState samplerState() { return samplerState; }
    public void setSamplerState(SamplerState state) { samplerState = state; }
    public GrammarMatcher grammar() { return grammar; }
    public void setGrammar(GrammarMatcher matcher) { grammar = matcher; }

    /** Prompt tokens served from the prefix cache at the first admission (SGLang {@code cached_tokens}). */
    public int cachedTokens() { return Math.max(cachedTokens, 0); }
    public void recordCachedTokens(int n) {
        if (cachedTokens < 0) cachedTokens = n;
    }

    /** Back to the waiting state after a retraction: KV gone, output kept (it is re-prefilled next time). */
    public void resetForRetract() {
        reqPoolIdx = -1;
        lastNode = null;
        cacheProtectedLen = 0;
        kvLen = 0;
        extendInputLen = 0;
        chunked = false;
        retractions++;
        if (!inputLogprobsSent) inputLogprobs.clear();
    }

    /**
     * SGLang {@code Req.check_finished}, run after each sampled token: length, then stop token ids / EOS (unless
     * {@code ignore_eos}), then stop strings on the decoded tail. Stop tokens and strings count only once
     * {@code min_new_tokens} is reached.
     */
    public void checkFinished(int[] eosIds, Tokenizer tokenizer) {
        if (finishedReason != null || outputLen() == 0) return;
        if (outputLen() >= sampling.maxNewTokens()) {
            finishedReason = new FinishReason.Length(sampling.maxNewTokens());
            return;
        }
        int last = lastToken();
        // The grammar accepted EOS: the constrained output is complete (also under ignore_eos).
        if (grammar != null && grammar.isTerminated() && contains(eosIds, last)) {
            finishedReason = new FinishReason.MatchedToken(last);
            return;
        }
        if (outputLen() < sampling.minNewTokens()) return;
        if (!sampling.ignoreEos()) {
            for (int id : sampling.stopTokenIds()) {
                if (id == last) {
                    finishedReason = new FinishReason.MatchedToken(last);
                    return;
                }
            }
            for (int id : eosIds) {
                if (id == last) {
                    finishedReason = new FinishReason.MatchedToken(last);
                    return;
                }
            }
        }
        if (!sampling.stop().isEmpty() && tokenizer != null) {
            int maxChars = 0;
            for (String s : sampling.stop()) maxChars = Math.max(maxChars, s.length());
            // A character is at most 4 bytes and every token contributes at least one byte.
            int from = Math.max(originLen, seqLen - (4 * maxChars + 1));
            String tail = tokenizer.decode(Arrays.copyOfRange(tokens, from, seqLen), sampling.skipSpecialTokens());
            for (String s : sampling.stop()) {
                if (tail.contains(s)) {
                    finishedReason = new FinishReason.MatchedString(s);
                    return;
                }
            }
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }

    @Override
    public String toString() {
        return "Req[" + rid + ", prompt=" + originLen + ", output=" + outputLen() + ", kv=" + kvLen + "]";
    }
}
