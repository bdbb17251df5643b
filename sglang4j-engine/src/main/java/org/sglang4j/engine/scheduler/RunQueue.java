package org.sglang4j.engine.scheduler;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import org.sglang4j.engine.batch.ForwardMode;
import org.sglang4j.engine.batch.ScheduleBatch;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.Req;

/**
 * The waiting queue, the running batch and the chunked request, and how the next batch is taken from them
 * (SGLang {@code get_next_batch_to_run}, {@code get_new_batch_prefill}, {@code update_running_batch},
 * {@code retract_decode}). Prefill has priority: if any waiting request fits the budgets it runs (optionally with
 * the running requests' decode tokens mixed in); otherwise the running batch decodes one token, retracting
 * requests first if the pool cannot hold that token for each of them. Scheduler thread only.
 */
final class RunQueue {
    private static final System.Logger LOG = System.getLogger("sglang4j.scheduler");

    private final SchedulerConfig config;
    private final CacheManager cache;
    private final SchedulePolicy policy;
    private final NewTokenRatio newTokenRatio;
    private final SchedulerSessions sessions;
    private final SchedulerStats stats;
    /** Fails a request that can never be scheduled. */
    private final BiConsumer<Req, FinishReason> reject;

    final List<Req> waiting = new ArrayList<>();
    final List<Req> running = new ArrayList<>();
    /** The request whose prefill is cut into chunks; it continues first in the next prefill batch. */
    Req chunkedReq;

    RunQueue(SchedulerConfig config, CacheManager cache, NewTokenRatio newTokenRatio, SchedulerSessions sessions,
             SchedulerStats stats, BiConsumer<Req, FinishReason> reject) {
        this.config = config;
        this.cache = cache;
        this.policy = SchedulePolicy.of(config.schedulePolicy());
        this.newTokenRatio = newTokenRatio;
        this.sessions = sessions;
        this.stats = stats;
        this.reject = reject;
    }

    boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty() || chunkedReq != null;
    }

    /** Requests holding KV right now. */
    List<Req> kvHolders() {
        List<Req> holders = new ArrayList<>(running);
        if (chunkedReq != null) holders.add(chunkedReq);
        return holders;
    }

    /** SGLang {@code get_next_batch_to_run}: a prefill batch if anything can be admitted, else a decode step. */
    ScheduleBatch nextBatch() {
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
        reject.accept(head, new FinishReason.Abort("request needs more KV cache than the pool holds ("
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
}
