package org.sglang4j.engine.scheduler;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.batch.ForwardMode;
import org.sglang4j.engine.batch.ScheduleBatch;
import org.sglang4j.engine.io.TokenIdOutput;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.engine.runner.BatchResult;
import org.sglang4j.engine.runner.ModelRunner;
import org.sglang4j.engine.scheduler.SchedulerInput.AbortReq;
import org.sglang4j.engine.scheduler.SchedulerInput.CloseSession;
import org.sglang4j.engine.scheduler.SchedulerInput.FlushCache;
import org.sglang4j.engine.scheduler.SchedulerInput.GenerateReqInput;
import org.sglang4j.engine.scheduler.SchedulerInput.Inspect;
import org.sglang4j.engine.scheduler.SchedulerInput.OpenSession;
import org.sglang4j.engine.scheduler.SchedulerInput.Shutdown;

/**
 * The engine's event loop (SGLang {@code managers/scheduler.py}, {@code event_loop_normal}). It runs on one
 * platform thread and is the only code that touches the KV pool, the radix cache, the queues and the sessions, so
 * none of them needs a lock. Each iteration: take messages → build the next batch (a prefill batch if any waiting
 * request fits, else a decode step of the running batch, retracting requests when the pool runs dry) → run it →
 * append tokens, finish requests, hand outputs to the detokenizer.
 */
public final class Scheduler implements Runnable {
    private static final System.Logger LOG = System.getLogger("sglang4j.scheduler");

    private final SchedulerConfig config;
    private final BlockingQueue<SchedulerInput> inbox;
    private final Consumer<List<TokenIdOutput>> outbox;
    private final ModelRunner runner;
    private final Tokenizer tokenizer;
    final CacheManager cache;
    private final SchedulePolicy policy;
    private final NewTokenRatio newTokenRatio;
    private final SchedulerSessions sessions;
    private final SchedulerStats stats;

    final List<Req> waiting = new ArrayList<>();
    final List<Req> running = new ArrayList<>();
    /** The request whose prefill is cut into chunks; it continues first in the next prefill batch. */
    Req chunkedReq;
    /** Parallel-sampling parents (prefill-only) and the samples that start once they finished. */
    private final Map<Req, List<Req>> pendingSamples = new IdentityHashMap<>();
    private List<TokenIdOutput> outputs = new ArrayList<>();
    private boolean stopped;
    /** Tests: check the KV invariant after every step, not only when idle. */
    boolean checkEveryStep;

    public Scheduler(SchedulerConfig config, ModelRunner runner, Tokenizer tokenizer,
                     BlockingQueue<SchedulerInput> inbox, Consumer<List<TokenIdOutput>> outbox) {
        this.config = config;
        this.runner = runner;
        this.tokenizer = tokenizer;
        this.inbox = inbox;
        this.outbox = outbox;
        this.cache = new CacheManager(config.maxTotalTokens(), config.maxRunningRequests(), config.contextLength(),
                config.disableRadixCache());
        this.policy = SchedulePolicy.of(config.schedulePolicy());
        this.newTokenRatio = new NewTokenRatio(config.scheduleConservativeness());
        this.sessions = new SchedulerSessions(config, cache);
        this.stats = new SchedulerStats(config.maxTotalTokens());
    }

    /** The latest load snapshot; safe from any thread. */
    public EngineStats stats() {
        return stats.snapshot();
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                recvRequests();
                if (stopped) break;
                ScheduleBatch batch = getNextBatchToRun();
                if (batch != null) runBatch(batch);
                else if (!hasWork()) selfCheckDuringIdle();
                if (checkEveryStep) cache.checkIntegrity(kvHolders());
            } catch (InterruptedException e) {
                break;
            }
            flushOutputs();
            stats.publish(running.size() + (chunkedReq != null ? 1 : 0), waiting.size(), cache.usedTokens());
        }
        abortAll("engine is shutting down", 503);
        flushOutputs();
    }

    private boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty() || chunkedReq != null;
    }

    private void recvRequests() throws InterruptedException {
        if (!hasWork()) {
            // Idle: wait for work, waking up now and then so session pins can expire.
            SchedulerInput first = inbox.poll(1, TimeUnit.SECONDS);
            if (first != null) processInput(first);
            sessions.releaseExpiredPins();
        }
        SchedulerInput msg;
        while (!stopped && (msg = inbox.poll()) != null) processInput(msg);
    }

    private void processInput(SchedulerInput msg) {
        switch (msg) {
            case GenerateReqInput g -> handleGenerate(g);
            case AbortReq a -> abort(a.rid());
            case FlushCache f -> f.done().complete(flushCache());
            case OpenSession o -> {
                try {
                    o.done().complete(sessions.open(o.sessionId(), o.capacityOfStrLen(), o.timeoutSeconds()));
                } catch (IllegalArgumentException e) {
                    o.done().completeExceptionally(e);
                }
            }
            case CloseSession c -> c.done().complete(sessions.close(c.sessionId()));
            case Inspect i -> {
                try {
                    i.check().run();
                    i.done().complete(null);
                } catch (RuntimeException | Error e) {
                    i.done().completeExceptionally(e);
                }
            }
            case Shutdown s -> stopped = true;
        }
    }

    private void handleGenerate(GenerateReqInput g) {
        if (g.prefillFirst() != null) {
            pendingSamples.put(g.prefillFirst(), g.reqs());
            waiting.add(g.prefillFirst());
            return;
        }
        for (Req req : g.reqs()) {
            if (req.request().session() == null) {
                waiting.add(req);
                continue;
            }
            SessionContinuation c = sessions.continueSession(req);
            String error = c.error() != null ? c.error() : fitError(c.req());
            if (error != null) finishWithoutRunning(c.req() != null ? c.req() : req, new FinishReason.Abort(error, 400));
            else waiting.add(c.req());
        }
    }

    /** Why a request can never run here (too long for the context or the pool), or null. */
    private String fitError(Req req) {
        long need = (long) req.originLen() + req.sampling().maxNewTokens();
        if (req.originLen() >= config.contextLength() || need > config.contextLength()) {
            return "Requested token count exceeds the model's maximum context length of " + config.contextLength()
                    + " tokens. You requested a total of " + need + " tokens: " + req.originLen()
                    + " tokens from the input messages and " + req.sampling().maxNewTokens()
                    + " tokens for the completion. Please reduce the number of tokens in the input messages or the"
                    + " completion to fit within the limit.";
        }
        if (need > config.maxTotalTokens()) {
            return "request needs " + need + " KV cache tokens (input + max_new_tokens) but the pool holds "
                    + config.maxTotalTokens() + "; raise --max-total-tokens or lower max_new_tokens";
        }
        return null;
    }

    /** Session continuations are built on this thread, where the parent's tokens live. */
    record SessionContinuation(Req req, String error) {}

    private boolean flushCache() {
        if (hasWork() || !pendingSamples.isEmpty()) return false;
        sessions.releaseAllPins();
        cache.flush();
        stats.resetCacheCounters();
        LOG.log(Level.INFO, "Cache flushed successfully!");
        return true;
    }

    // ---- batch building ------------------------------------------------------------------------------------

    private ScheduleBatch getNextBatchToRun() {
        ScheduleBatch prefill = getNewBatchPrefill();
        if (prefill != null) return prefill;
        if (!running.isEmpty()) return updateRunningBatch();
        return null;
    }

    /** SGLang {@code get_new_batch_prefill}: admits waiting requests (chunked one first) under the budgets. */
    private ScheduleBatch getNewBatchPrefill() {
        if (waiting.isEmpty() && chunkedReq == null) return null;
        if (running.size() >= config.maxRunningRequests() && chunkedReq == null) return null;
        sessions.releaseExpiredPins();
        boolean mixed = config.enableMixedChunk() && !running.isEmpty()
                && cache.availableAndEvictable() >= running.size();
        int mixedTokens = mixed ? running.size() : 0;
        policy.calcPriority(waiting, cache);
        PrefillAdder adder = new PrefillAdder(cache, running, newTokenRatio.value, config.maxPrefillTokens(),
                config.chunkedPrefillSize(), mixedTokens);
        PrefillAdder.AddReqResult result = PrefillAdder.AddReqResult.CONTINUE;
        if (chunkedReq != null) {
            // Only one chunked request at a time: if its next chunk does not fit, admit nothing new either.
            boolean added;
            while (!(added = adder.addChunkedReq(chunkedReq)) && sessions.releaseOnePin()) {
                // a session's pinned KV was released; try the chunk again
            }
            if (added) {
                chunkedReq = null;
                result = adder.budgetState();
            } else {
                result = PrefillAdder.AddReqResult.NO_TOKEN;
            }
        }
        int i = 0;
        while (i < waiting.size() && result == PrefillAdder.AddReqResult.CONTINUE) {
            if (adder.canRunList.size() + running.size() >= config.maxRunningRequests()) break;
            Req req = waiting.get(i);
            result = adder.addOneReq(req);
            if (!adder.canRunList.isEmpty() && adder.canRunList.getLast() == req) {
                waiting.remove(i);
            } else if (result == PrefillAdder.AddReqResult.NO_TOKEN && sessions.releaseOnePin()) {
                result = PrefillAdder.AddReqResult.CONTINUE; // a session's pinned KV made room: retry
            } else {
                i++;
            }
        }
        if (adder.newChunkedReq != null) chunkedReq = adder.newChunkedReq;
        if (adder.canRunList.isEmpty()) {
            if (running.isEmpty() && chunkedReq == null && !waiting.isEmpty()) rejectUnschedulable();
            return null;
        }
        stats.recordPrefill(adder.logHitTokens, adder.logInputTokens);
        List<Req> extend = adder.canRunList;
        List<Req> decode = mixed ? allocDecode(running) : List.of();
        LOG.log(Level.INFO, () -> String.format(
                "Prefill batch. #new-seq: %d, #new-token: %d, #cached-token: %d, token usage: %.2f, "
                        + "#running-req: %d, #queue-req: %d", extend.size(), adder.logInputTokens,
                adder.logHitTokens, (double) cache.usedTokens() / cache.capacity(), running.size(), waiting.size()));
        return buildBatch(decode.isEmpty() ? ForwardMode.EXTEND : ForwardMode.MIXED, extend, decode);
    }

    /**
     * Nothing runs, nothing could be admitted: the head request cannot fit even in an empty pool (submit
     * validation should make this impossible). Fail it rather than spin.
     */
    private void rejectUnschedulable() {
        Req head = waiting.removeFirst();
        LOG.log(Level.ERROR, "cannot schedule " + head + " with an idle pool of " + cache.capacity() + " tokens");
        finishWithoutRunning(head, new FinishReason.Abort("request needs more KV cache than the pool holds ("
                + cache.capacity() + " tokens); raise --max-total-tokens", 503));
    }

    /** SGLang {@code update_running_batch}: one decode token per running request, retracting if short. */
    private ScheduleBatch updateRunningBatch() {
        if (!cache.ensureFree(running.size())) {
            while (sessions.releaseOnePin() && !cache.ensureFree(running.size())) {
                // released the least recently used session pin; try again
            }
        }
        if (!cache.ensureFree(running.size())) retractDecode();
        else newTokenRatio.decayStep();
        if (running.isEmpty()) return null;
        return buildBatch(ForwardMode.DECODE, List.of(), allocDecode(running));
    }

    private List<Req> allocDecode(List<Req> reqs) {
        for (Req r : reqs) {
            if (cache.allocExtend(r, 1) == null) throw new IllegalStateException("decode slot vanished for " + r);
            r.setExtendInputLen(1);
        }
        return reqs;
    }

    /**
     * SGLang {@code retract_decode}: frees running requests until every survivor has
     * {@link NewTokenRatio#RETRACT_DECODE_STEPS} tokens of headroom (at least one victim, never the last request).
     * Victims: fewest generated tokens first, ties → longest prompt. A victim's private KV is freed (its cached
     * prefix stays in the tree, unlocked); it goes back to the head of the queue and later re-prefills
     * prompt + output, so nothing is lost.
     */
    private void retractDecode() {
        List<Req> order = new ArrayList<>(running);
        order.sort(Comparator.comparingInt(Req::outputLen).thenComparingInt(r -> -r.originLen()).reversed());
        List<Req> retracted = new ArrayList<>();
        while (running.size() > 1) {
            boolean enough = cache.availableAndEvictable()
                    >= (long) NewTokenRatio.RETRACT_DECODE_STEPS * running.size();
            if (!retracted.isEmpty() && enough) break;
            Req victim = order.removeLast();
            running.remove(victim);
            cache.releaseForRetract(victim);
            retracted.add(victim);
        }
        if (!cache.ensureFree(running.size()) && chunkedReq != null) {
            cache.releaseForRetract(chunkedReq);
            retracted.add(chunkedReq);
            chunkedReq = null;
        }
        retracted.sort(Comparator.comparingLong(Req::arrivalNanos));
        waiting.addAll(0, retracted);
        long generated = 0, maxNew = 0;
        for (Req r : running) {
            generated += r.outputLen();
            maxNew += r.sampling().maxNewTokens();
        }
        newTokenRatio.afterRetract(generated, running.size(), maxNew);
        stats.recordRetractions(retracted.size());
        LOG.log(Level.WARNING, () -> "KV cache pool is full. Retract requests. #retracted_reqs: " + retracted.size()
                + ", #new_token_ratio: " + String.format("%.4f", newTokenRatio.value));
    }

    private ScheduleBatch buildBatch(ForwardMode mode, List<Req> extend, List<Req> decode) {
        int n = extend.size() + decode.size();
        List<Req> reqs = new ArrayList<>(n);
        int[] start = new int[n], ext = new int[n];
        int[][] rows = new int[n][];
        boolean[] isExtend = new boolean[n], sample = new boolean[n];
        int i = 0;
        for (Req r : extend) {
            reqs.add(r);
            start[i] = r.kvLen();
            ext[i] = r.extendInputLen();
            rows[i] = cache.row(r);
            isExtend[i] = true;
            sample[i] = r.sampling().maxNewTokens() > 0;
            i++;
        }
        for (Req r : decode) {
            reqs.add(r);
            start[i] = r.kvLen();
            ext[i] = 1;
            rows[i] = cache.row(r);
            sample[i] = true;
            i++;
        }
        return new ScheduleBatch(mode, reqs, start, ext, rows, isExtend, sample);
    }

    // ---- running a batch and processing its result --------------------------------------------------------

    private void runBatch(ScheduleBatch batch) {
        BatchResult result;
        try {
            result = runner.forward(batch);
        } catch (RuntimeException e) {
            // A failing forward is a bug, but it must not take the engine down: fail this batch's requests.
            LOG.log(Level.ERROR, "forward pass failed; aborting the " + batch.size() + " requests of the batch", e);
            for (int i = 0; i < batch.size(); i++) {
                Req r = batch.reqs().get(i);
                if (r == chunkedReq) chunkedReq = null;
                running.remove(r);
                // The slots of this step hold no valid KV: free them without inserting anything.
                r.setKvLen(batch.startPos()[i] + batch.extendLens()[i]);
                cache.releaseForRetract(r);
                finishWithoutRunning(r, new FinishReason.Abort("internal error in the forward pass: " + e, 500));
            }
            return;
        }
        processBatchResult(batch, result);
    }

    /** SGLang {@code process_batch_result_prefill/decode}: append tokens, check stops, cache, stream. */
    private void processBatchResult(ScheduleBatch batch, BatchResult result) {
        List<Req> finishedDecodes = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Req req = batch.reqs().get(i);
            req.setKvLen(batch.startPos()[i] + batch.extendLens()[i]);
            req.inputLogprobs().addAll(result.inputLogprobs().get(i));
            int next = result.nextTokenIds()[i];
            if (next >= 0) {
                stats.recordGenerated(1);
                req.appendOutput(next);
                req.checkFinished(config.eosIds(), tokenizer);
            } else if (batch.reachesEnd(i) && !batch.sample()[i]) {
                req.finish(new FinishReason.Length(0)); // prefill-only (max_new_tokens = 0)
            }
            if (req.finished()) {
                if (!batch.extend()[i]) finishedDecodes.add(req);
                finishReq(req, next, result.outputLogprobs()[i]);
                continue;
            }
            if (batch.extend()[i]) {
                cache.cacheUnfinishedReq(req);
                if (req.isChunked()) continue; // more prompt to prefill; it stays the chunked request
                running.add(req);
            }
            emit(req, next, result.outputLogprobs()[i]);
        }
        if (!finishedDecodes.isEmpty()) running.removeAll(finishedDecodes);
    }

    private void emit(Req req, int token, TokenLogprob logprob) {
        List<TokenLogprob> in = List.of();
        if (!req.inputLogprobsSent() && req.inputLogprobStart() >= 0) {
            in = List.copyOf(req.inputLogprobs());
            req.markInputLogprobsSent();
        }
        outputs.add(new TokenIdOutput(req.state(), req.rid(), token >= 0 ? new int[] {token} : new int[0], in,
                logprob != null ? List.of(logprob) : List.of(), req.finishedReason(), req.originLen(),
                req.outputLen(), req.cachedTokens(), req.retractions()));
    }

    /**
     * A request is done: cache or free its KV, pin a session's conversation, start parallel samples, and report
     * it with its last new token ({@code -1} when none, e.g. aborted).
     */
    private void finishReq(Req req, int newToken, TokenLogprob logprob) {
        cache.cacheFinishedReq(req);
        sessions.onFinished(req);
        List<Req> samples = pendingSamples.remove(req);
        if (samples == null) {
            emit(req, newToken, logprob);
        } else if (req.finishedReason() instanceof FinishReason.Abort a) {
            for (Req s : samples) finishWithoutRunning(s, a);
        } else {
            waiting.addAll(0, samples); // the prefill-only parent is internal: no output of its own
        }
    }

    private void finishWithoutRunning(Req req, FinishReason reason) {
        req.finish(reason);
        List<Req> samples = pendingSamples.remove(req);
        if (samples != null) {
            for (Req s : samples) finishWithoutRunning(s, reason);
            return;
        }
        emit(req, -1, null);
    }

    private void abort(String rid) {
        FinishReason reason = new FinishReason.Abort("Abort request " + rid, 499);
        for (int i = waiting.size() - 1; i >= 0; i--) {
            Req r = waiting.get(i);
            if (matches(r, rid)) {
                waiting.remove(i);
                finishWithoutRunning(r, reason);
            }
        }
        for (Req r : List.copyOf(running)) {
            if (matches(r, rid)) {
                running.remove(r);
                r.finish(reason);
                finishReq(r, -1, null);
            }
        }
        if (chunkedReq != null && matches(chunkedReq, rid)) {
            Req r = chunkedReq;
            chunkedReq = null;
            r.finish(reason);
            finishReq(r, -1, null);
        }
        for (var e : List.copyOf(pendingSamples.entrySet())) {
            e.getValue().removeIf(s -> {
                if (!matches(s, rid)) return false;
                s.finish(reason);
                emit(s, -1, null);
                return true;
            });
        }
    }

    private static boolean matches(Req r, String rid) {
        return r.rid().equals(rid) || r.request().rid().equals(rid);
    }

    private void abortAll(String message, int status) {
        FinishReason reason = new FinishReason.Abort(message, status);
        for (Req r : List.copyOf(waiting)) finishWithoutRunning(r, reason);
        waiting.clear();
        for (Req r : List.copyOf(running)) {
            r.finish(reason);
            finishReq(r, -1, null);
        }
        running.clear();
        if (chunkedReq != null) {
            chunkedReq.finish(reason);
            finishReq(chunkedReq, -1, null);
            chunkedReq = null;
        }
    }

    private void flushOutputs() {
        if (outputs.isEmpty()) return;
        outbox.accept(outputs);
        outputs = new ArrayList<>();
    }

    /** SGLang {@code self_check_during_idle}: the memory invariant, and the ratio goes back to its start. */
    private void selfCheckDuringIdle() {
        newTokenRatio.reset();
        cache.checkIntegrity(List.of());
    }

    /** All requests that hold KV right now (for integrity checks from tests). */
    List<Req> kvHolders() {
        List<Req> holders = new ArrayList<>(running);
        if (chunkedReq != null) holders.add(chunkedReq);
        return holders;
    }
}
