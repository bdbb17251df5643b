package org.sglang4j.engine.scheduler;

import org.sglang4j.engine.cache.TreeNode;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.engine.session.Session;
import org.sglang4j.engine.session.SessionController;

/**
 * The scheduler's side of sessions: applies the {@link SessionController}'s decisions to the cache (pinning a
 * finished session request's conversation, releasing pins on close, TTL, cap and memory pressure).
 */
final class SchedulerSessions {
    private final SessionController controller;
    private final CacheManager cache;
    private final int bosId;

    SchedulerSessions(SchedulerConfig config, CacheManager cache) {
        this.controller = new SessionController(config.sessionPinTtlSeconds(), config.sessionPinCapTokens());
        this.cache = cache;
        this.bosId = config.bosId();
    }

    String open(String id, int capacityOfStrLen, Double timeoutSeconds) {
        return controller.open(id, capacityOfStrLen, timeoutSeconds, System.nanoTime());
    }

    boolean close(String id) {
        Session s = controller.close(id);
        if (s == null) return false;
        unlock(controller.unpin(s));
        return true;
    }

    /** Rebuilds {@code req} with the session's context in front of its own input ids. */
    Scheduler.SessionContinuation continueSession(Req req) {
        SessionParams params = req.request().session();
        SessionController.Continuation c = controller.resolve(params, req.originInputIds(), bosId,
                input -> {
                    Req r = new Req(req.rid(), req.index(), req.request(), req.sampling(), input, req.state(),
                            req.arrivalNanos());
                    r.setGrammar(req.grammar());
                    return r;
                });
        return new Scheduler.SessionContinuation(c.req(), c.error());
    }

    /** A finished session request's whole computed sequence stays locked until the session moves on. */
    void onFinished(Req req) {
        SessionParams params = req.request().session();
        if (params == null || req.finishedReason() instanceof FinishReason.Abort) return;
        Session s = controller.get(params.id());
        if (s == null || cache.disableRadixCache) return;
        TreeNode node = cache.pin(req.tokens(), req.kvLen());
        unlock(controller.pin(s, node, req.kvLen(), System.nanoTime()));
        releaseExpiredPins();
    }

    void releaseExpiredPins() {
        for (Session s : controller.pinsToRelease(System.nanoTime())) unlock(controller.unpin(s));
    }

    /** Memory pressure: releases the least recently used pin; false if there was none. */
    boolean releaseOnePin() {
        Session s = controller.lruPinned();
        if (s == null) return false;
        unlock(controller.unpin(s));
        return true;
    }

    void releaseAllPins() {
        while (releaseOnePin()) {
            // keep going
        }
    }

    private void unlock(TreeNode node) {
        if (node != null) cache.unlock(node);
    }
}
