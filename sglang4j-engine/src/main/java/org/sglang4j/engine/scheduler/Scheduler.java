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
    private final NewTokenRatio newTokenRatio;
    private final SchedulerSessions sessions;
    private final SchedulerStats stats;

    final RunQueue queue;
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
        this.newTokenRatio = new NewTokenRatio(config.scheduleConservativeness());
        this.sessions = new SchedulerSessions(config, cache);
        this.stats = new SchedulerStats(config.maxTotalTokens());
        this.queue = new RunQueue(config, cache, newTokenRatio, sessions, stats, this::finishWithoutRunning);
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
                ScheduleBatch batch = queue.nextBatch();
                if (batch != null) runBatch(batch);
                else if (!hasWork()) selfCheckDuringIdle();
                if (checkEveryStep) cache.checkIntegrity(kvHolders());
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | AssertionError e) {
                // A broken invariant is a bug; fail what is in flight with a 500 rather than hang every client.
                LOG.log(Level.ERROR, "scheduler step failed; aborting all requests", e);
                failAll("internal error in the scheduler: " + e);
                if (checkEveryStep) stopped = true;
            }
            flushOutputs();
            stats.publish(queue.running.size() + (queue.chunkedReq != null ? 1 : 0), queue.waiting.size(), cache.usedTokens());
        }
        abortAll("engine is shutting down", 503);
        flushOutputs();
    }

    private boolean hasWork() {
        return queue.hasWork();
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
            queue.waiting.add(g.prefillFirst());
            return;
        }
        for (Req req : g.reqs()) {
            if (req.request().session() == null) {
                queue.waiting.add(req);
                continue;
            }
            SessionContinuation c = sessions.continueSession(req);
            String error = c.error() != null ? c.error() : fitError(c.req());
            if (error != null) finishWithoutRunning(c.req() != null ? c.req() : req, new FinishReason.Abort(error, 400));
            else queue.waiting.add(c.req());
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
                if (r == queue.chunkedReq) queue.chunkedReq = null;
                queue.running.remove(r);
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
            if (result.errors()[i] != null) {
                req.finish(new FinishReason.Abort(result.errors()[i], 400));
            } else if (next >= 0) {
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
                queue.running.add(req);
            }
            emit(req, next, result.outputLogprobs()[i]);
        }
        if (!finishedDecodes.isEmpty()) queue.running.removeAll(finishedDecodes);
    }

    private void emit(Req req, int token, TokenLogprob logprob) {
        List<TokenLogprob> in = List.of();
        if (!req.inputLogprobsSent() && req.inputLogprobStart() >= 0) {
            in = List.copyOf(req.inputLogprobs());
            req.markInputLogprobsSent();
        }
        outputs.add(new TokenIdOutput(req.state(), req.rid(), token >= 0 ? new int[] {token} : new int[0], in,
                logprob != null ? List.of(logprob) : List.of(), req.finishedReason(), req.originLen(),
                req.outputLen(), req.cachedTokens(), req.retractions(), req.index()));
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
            queue.waiting.addAll(0, samples); // the prefill-only parent is internal: no output of its own
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
        for (int i = queue.waiting.size() - 1; i >= 0; i--) {
            Req r = queue.waiting.get(i);
            if (matches(r, rid)) {
                queue.waiting.remove(i);
                finishWithoutRunning(r, reason);
            }
        }
        for (Req r : List.copyOf(queue.running)) {
            if (matches(r, rid)) {
                queue.running.remove(r);
                r.finish(reason);
                finishReq(r, -1, null);
            }
        }
        if (queue.chunkedReq != null && matches(queue.chunkedReq, rid)) {
            Req r = queue.chunkedReq;
            queue.chunkedReq = null;
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
        for (Req r : List.copyOf(queue.waiting)) finishWithoutRunning(r, reason);
        queue.waiting.clear();
        for (Req r : List.copyOf(queue.running)) {
            r.finish(reason);
            finishReq(r, -1, null);
        }
        queue.running.clear();
        if (queue.chunkedReq != null) {
            queue.chunkedReq.finish(reason);
            finishReq(queue.chunkedReq, -1, null);
            queue.chunkedReq = null;
        }
    }

    private void failAll(String message) {
        try {
            abortAll(message, 500);
        } catch (RuntimeException | AssertionError e) {
            // The cache state itself is broken: report the requests and forget them.
            LOG.log(Level.ERROR, "could not release KV while failing requests", e);
            List<Req> all = new ArrayList<>(queue.waiting);
            all.addAll(queue.running);
            if (queue.chunkedReq != null) all.add(queue.chunkedReq);
            queue.waiting.clear();
            queue.running.clear();
            queue.chunkedReq = null;
            for (Req r : all) {
                r.finish(new FinishReason.Abort(message, 500));
                emit(r, -1, null);
            }
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

    /**
     * SGLang {@code check_memory}: throws if {@code free + evictable + protected + held == capacity} or any other
     * KV invariant is broken. Scheduler thread only (run it through {@code SchedulerInput.Inspect}).
     */
    public void checkMemory() {
        cache.checkIntegrity(kvHolders());
    }

    /** KV slots free right now, not counting what eviction could free. Scheduler thread only. */
    public int availableKvSlots() {
        return cache.allocator.availableSize();
    }

    List<Req> kvHolders() {
        return queue.kvHolders();
    }
}
