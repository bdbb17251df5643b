package org.sglang4j.engine.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.engine.cache.MatchResult;
import org.sglang4j.engine.req.Req;

/**
 * Builds one prefill batch under the token budgets (SGLang {@code schedule_policy.PrefillAdder}):
 * <ul>
 * <li>{@code rem_total_tokens} = free + evictable KV slots minus what the running requests are expected to still
 *     generate ({@code min(remaining, 4096) × new_token_ratio} each) minus the reserves of requests admitted
 *     here. A new request needs its extend length plus {@code min(remaining, 4096)} future tokens.</li>
 * <li>{@code rem_input_tokens} = {@code --max-prefill-tokens}: new tokens in this batch (the first request may
 *     exceed it and is then bounded by the chunk budget).</li>
 * <li>{@code rem_chunk_tokens} = {@code --chunked-prefill-size}: a request longer than what is left is cut to a
 *     chunk and becomes the (only) chunked request; it continues first in the next batch.</li>
 * </ul>
 * Unlike SGLang, slots are allocated right at admission (so the budget only carries future reserves): a request
 * either gets everything it needs for this step or is not admitted.
 */
final class PrefillAdder {
    enum AddReqResult { CONTINUE, NO_TOKEN, OTHER }

    /** SGLang {@code CLIP_MAX_NEW_TOKENS_ESTIMATION}: cap on the future tokens reserved per request. */
    static final int CLIP_MAX_NEW_TOKENS = Integer.getInteger("sglang4j.clipMaxNewTokens", 4096);

    /**
     * Prompt-logprob rows one forward may produce: each is a full vocabulary of logits, so a long prompt with
     * {@code logprob_start_len = 0} is cut into chunks of this many tokens rather than materialising them all.
     */
    static final int MAX_INPUT_LOGPROB_ROWS = Integer.getInteger("sglang4j.maxInputLogprobRows", 256);

    private final CacheManager cache;
    private int remLogprobRows = MAX_INPUT_LOGPROB_ROWS;
    final List<Req> canRunList = new ArrayList<>();
    /** The request cut to a chunk in this batch, or null. */
    Req newChunkedReq;
    private long remTotalTokenOffset;
    private int remInputTokens;
    private int remChunkTokens;
    /** Slots the running requests' decode tokens take in a mixed batch (allocated after this batch's prefills). */
    private final int mixedDecodeTokens;
    int logHitTokens;
    int logInputTokens;

    PrefillAdder(CacheManager cache, List<Req> running, double newTokenRatio, int maxPrefillTokens,
                 int chunkedPrefillSize, int mixedDecodeTokens) {
        this.cache = cache;
        this.mixedDecodeTokens = mixedDecodeTokens;
        long reserve = mixedDecodeTokens;
        for (Req r : running) reserve += runningReserve(r, newTokenRatio);
        this.remTotalTokenOffset = reserve;
        this.remInputTokens = maxPrefillTokens - mixedDecodeTokens;
        this.remChunkTokens = chunkedPrefillSize > 0 ? chunkedPrefillSize - mixedDecodeTokens : Integer.MAX_VALUE;
    }

    /** Future tokens a running request is expected to need; ignore_eos requests run to the end, so no discount. */
    static long runningReserve(Req r, double newTokenRatio) {
        int remaining = Math.min(r.remainingNewTokens(), CLIP_MAX_NEW_TOKENS);
        return r.sampling().ignoreEos() ? remaining : (long) Math.ceil(remaining * newTokenRatio);
    }

    private static int newReserve(Req r) {
        return Math.min(r.remainingNewTokens(), CLIP_MAX_NEW_TOKENS);
    }

    long remTotalTokens() {
        return cache.availableAndEvictable() - remTotalTokenOffset;
    }

    /** Continues the chunked request of the previous batch; false if its next chunk cannot be allocated. */
    boolean addChunkedReq(Req req) {
        int left = req.seqLen() - req.kvLen();
        int ext = Math.min(left, chunkLimit(req));
        if (ext <= 0 || cache.availableAndEvictable() - ext < mixedDecodeTokens) return false;
        if (cache.allocExtend(req, ext) == null) return false;
        boolean truncated = ext < left;
        req.setExtendInputLen(ext);
        req.setChunked(truncated);
        canRunList.add(req);
        if (truncated) newChunkedReq = req;
        updateBudget(req, 0, ext, truncated ? 0 : newReserve(req));
        return true;
    }

    /** Tries to admit a waiting request: match its prefix, check the budgets, lock, allocate. */
    AddReqResult addOneReq(Req req) {
        MatchResult prefix = cache.matchPrefix(req);
        int prefixLen = prefix.length();
        int ext = req.seqLen() - prefixLen;
        long total = (long) ext + newReserve(req);
        if (total > remTotalTokens()) return AddReqResult.NO_TOKEN;
        if (ext > remInputTokens && !canRunList.isEmpty()) return AddReqResult.OTHER;
        cache.lock(prefix.lastNode());
        // Locking the prefix took it out of the evictable pool: check again.
        if (total > remTotalTokens()) {
            cache.unlock(prefix.lastNode());
            return AddReqResult.NO_TOKEN;
        }
        int limit = chunkLimit(req);
        boolean truncated = ext > limit;
        if (truncated) {
            if (limit <= 0 || newChunkedReq != null) {
                cache.unlock(prefix.lastNode());
                return AddReqResult.OTHER;
            }
            ext = limit;
        }
        if (!cache.admit(req, prefix, ext)) {
            cache.unlock(prefix.lastNode());
            return AddReqResult.NO_TOKEN;
        }
        req.recordCachedTokens(prefixLen);
        req.setExtendInputLen(ext);
        req.setChunked(truncated);
        canRunList.add(req);
        if (truncated) newChunkedReq = req;
        updateBudget(req, prefixLen, ext, truncated ? 0 : newReserve(req));
        return budgetState();
    }

    /** Most tokens {@code req} may compute in this batch: the chunk budget, and the logprob-row budget if it needs one. */
    private int chunkLimit(Req req) {
        return req.inputLogprobStart() >= 0 ? Math.min(remChunkTokens, remLogprobRows) : remChunkTokens;
    }

    private void updateBudget(Req req, int prefixLen, int ext, int futureReserve) {
        if (req.inputLogprobStart() >= 0) remLogprobRows -= ext;
        remTotalTokenOffset += futureReserve;
        remInputTokens -= ext;
        if (remChunkTokens != Integer.MAX_VALUE) remChunkTokens -= ext;
        logHitTokens += prefixLen;
        logInputTokens += ext;
    }

    AddReqResult budgetState() {
        if (remTotalTokens() <= 0) return AddReqResult.NO_TOKEN;
        if (remInputTokens <= 0 || remChunkTokens <= 0) return AddReqResult.OTHER;
        return AddReqResult.CONTINUE;
    }
}
