package org.sglang4j.engine.scheduler;

import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.engine.req.Req;

/**
 * Orders the waiting queue before each prefill batch (SGLang {@code schedule_policy.SchedulePolicy}).
 * {@code fcfs}: arrival order (retracted requests are put back at the head, so they keep their turn).
 * {@code lpm}: longest cached prefix first, so requests sharing a hot prefix run while it is cached; matching the
 * whole queue every round is too costly for long queues, so above 128 waiting requests (and with the radix cache
 * disabled) lpm falls back to fcfs, as SGLang does.
 */
enum SchedulePolicy {
    FCFS, LPM;

    static final int LPM_FALLBACK_QUEUE_LEN = 128;

    static SchedulePolicy of(String name) {
        return switch (name) {
            case "fcfs" -> FCFS;
            case "lpm" -> LPM;
            default -> throw new IllegalArgumentException(
                    "--schedule-policy " + name + " is not supported; use fcfs or lpm");
        };
    }

    /** Sorts {@code waiting} in place. */
    void calcPriority(List<Req> waiting, CacheManager cache) {
        if (this == FCFS || cache.disableRadixCache || waiting.size() > LPM_FALLBACK_QUEUE_LEN) return;
        Map<Req, Integer> matched = new IdentityHashMap<>();
        for (Req r : waiting) matched.put(r, cache.matchPrefix(r).length());
        // Stable sort: equal matches keep arrival order.
        waiting.sort(Comparator.comparingInt((Req r) -> matched.get(r)).reversed());
    }
}
