package org.sglang4j.engine.runner;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.model.ForwardBatch;
import org.sglang4j.core.sampling.Logprobs;
import org.sglang4j.core.sampling.SampledToken;
import org.sglang4j.core.sampling.Sampler;
import org.sglang4j.core.sampling.SamplerState;
import org.sglang4j.core.sampling.TopLogprobs;
import org.sglang4j.engine.batch.ScheduleBatch;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.grammar.GrammarMatcher;

/**
 * Runs one {@link ScheduleBatch} (SGLang {@code ModelRunner} + the sampling step of {@code TpModelWorker}):
 * lays the requests' new tokens out as a ragged {@link ForwardBatch} whose sequences gather K/V through their
 * request rows, asks the model for logits only where they are needed (the last token of a request that reaches
 * the end of its sequence, plus prompt positions whose logprobs were requested), then samples each row with the
 * request's own sampler state and, for constrained requests, the grammar's mask of allowed next tokens (filled
 * per row right before sampling it, so masks follow their requests however the batch is composed).
 *
 * <p>Runs on the scheduler thread; the model itself parallelises over its compute pool.
 */
public final class ModelRunner {
    private final ForwardModel model;
    private final int vocab;
    /** Ids at or above this (model-side padding rows that the tokenizer has no text for) are never sampled. */
    private final int decodableVocab;
    private final int[] eosIds;
    private final Sampler sampler;
    private final long[] mask; // one row's grammar mask, reused
    private float[] logits = new float[0];

    public ModelRunner(ForwardModel model, int[] eosIds) {
        this(model, eosIds, model.vocabSize());
    }

    /**
     * {@code decodableVocab}: the tokenizer's vocabulary size. Models often pad their embedding past it (Qwen2.5:
     * 151,936 rows for 151,665 tokens); a padding id has no text, so sampling never picks one.
     */
    public ModelRunner(ForwardModel model, int[] eosIds, int decodableVocab) {
        this.model = model;
        this.vocab = model.vocabSize();
        if (decodableVocab < 1 || decodableVocab > vocab) {
            throw new IllegalArgumentException("tokenizer vocabulary " + decodableVocab + " does not fit the model's "
                    + vocab + " logits");
        }
        this.decodableVocab = decodableVocab;
        this.eosIds = eosIds.clone();
        this.sampler = new Sampler(vocab);
        this.mask = new long[(vocab + 63) >>> 6];
    }

    public int vocabSize() {
        return vocab;
    }

    public BatchResult forward(ScheduleBatch batch) {
        int numSeqs = batch.size();
        int numTokens = batch.numTokens();
        int[] tokenIds = new int[numTokens];
        int[] positions = new int[numTokens];
        int[] outCacheLoc = new int[numTokens];
        int[] seqStarts = new int[numSeqs + 1];
        int[][] kvSlots = new int[numSeqs][];
        int[] sampleRow = new int[numSeqs];
        int[] inputRowStart = new int[numSeqs]; // first logit row of request i's prompt logprobs
        int[] inputRowCount = new int[numSeqs];
        int[] logitTokens = new int[numTokens];
        int rows = 0;
        int t = 0;
        for (int i = 0; i < numSeqs; i++) {
            Req req = batch.reqs().get(i);
            int start = batch.startPos()[i];
            int ext = batch.extendLens()[i];
            int[] row = batch.kvRows()[i];
            int[] tokens = req.tokens();
            seqStarts[i] = t;
            kvSlots[i] = row;
            int lpFrom = req.inputLogprobStart() < 0 ? Integer.MAX_VALUE : Math.max(req.inputLogprobStart() - 1, 0);
            inputRowStart[i] = rows;
            for (int p = start; p < start + ext; p++, t++) {
                tokenIds[t] = tokens[p];
                positions[t] = p;
                outCacheLoc[t] = row[p];
                // Logits at position p give the logprob of prompt token p + 1.
                if (p >= lpFrom && p + 1 < req.originLen()) {
                    logitTokens[rows++] = t;
                    inputRowCount[i]++;
                }
            }
            sampleRow[i] = -1;
            if (batch.reachesEnd(i) && batch.sample()[i]) {
                sampleRow[i] = rows;
                logitTokens[rows++] = t - 1;
            }
        }
        seqStarts[numSeqs] = t;
        int[] logitRows = java.util.Arrays.copyOf(logitTokens, rows);
        if ((long) rows * vocab > logits.length) logits = new float[Math.toIntExact((long) rows * vocab)];
        model.forward(new ForwardBatch(tokenIds, positions, outCacheLoc, seqStarts, kvSlots, logitRows), logits);
        return sample(batch, sampleRow, inputRowStart, inputRowCount);
    }

    private BatchResult sample(ScheduleBatch batch, int[] sampleRow, int[] inputRowStart, int[] inputRowCount) {
        int n = batch.size();
        int[] next = new int[n];
        TokenLogprob[] outLogprobs = new TokenLogprob[n];
        String[] errors = new String[n];
        List<List<TokenLogprob>> inLogprobs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Req req = batch.reqs().get(i);
            int topK = req.request().topLogprobsNum();
            List<TokenLogprob> in = List.of();
            boolean firstToken = req.inputLogprobStart() == 0 && batch.startPos()[i] == 0;
            if (inputRowCount[i] > 0 || firstToken) {
                in = new ArrayList<>(inputRowCount[i] + 1);
                // Prompt token 0 has no preceding logits (SGLang reports None); NaN stands for it.
                if (firstToken) in.add(new TokenLogprob(req.tokens()[0], Float.NaN, new int[0], new float[0]));
                int firstPos = firstInputLogprobPos(req, batch.startPos()[i]);
                for (int r = 0; r < inputRowCount[i]; r++) {
                    int target = req.tokens()[firstPos + r + 1];
                    int off = (inputRowStart[i] + r) * vocab;
                    float lse = Logprobs.logSumExp(logits, off, vocab);
                    TopLogprobs top = topK > 0 ? Logprobs.top(logits, off, vocab, topK, lse) : TopLogprobs.NONE;
                    in.add(new TokenLogprob(target, logits[off + target] - lse, top.tokens(), top.logprobs()));
                }
            }
            inLogprobs.add(in);
            next[i] = -1;
            if (sampleRow[i] < 0) continue;
            try {
                SampledToken t = sampleRow(req, sampleRow[i] * vocab);
                next[i] = t.token();
                if (req.request().returnLogprob()) {
                    outLogprobs[i] = new TokenLogprob(t.token(), t.logprob(), t.top().tokens(), t.top().logprobs());
                }
            } catch (IllegalStateException | IllegalArgumentException e) {
                errors[i] = e.getMessage();
            }
        }
        return new BatchResult(next, outLogprobs, inLogprobs, errors);
    }

    private SampledToken sampleRow(Req req, int off) {
        SamplerState state = req.samplerState();
        if (state == null) {
            state = new SamplerState(req.sampling(), vocab, eosIds, req.originInputIds());
            req.setSamplerState(state);
        }
        if (decodableVocab < vocab) java.util.Arrays.fill(logits, off + decodableVocab, off + vocab, Float.NEGATIVE_INFINITY);
        GrammarMatcher grammar = req.grammar();
        if (grammar != null) grammar.fillNextTokenMask(mask);
        int topLogprobs = req.request().returnLogprob() ? req.request().topLogprobsNum() : Sampler.NO_LOGPROBS;
        SampledToken t = sampler.sample(logits, off, state, grammar != null ? mask : null, topLogprobs);
        if (grammar != null && !grammar.acceptToken(t.token())) {
            throw new IllegalStateException("grammar rejected token " + t.token() + " that its own mask allowed");
        }
        return t;
    }

    private static int firstInputLogprobPos(Req req, int start) {
        return Math.max(start, Math.max(req.inputLogprobStart() - 1, 0));
    }
}
