package org.sglang4j.engine.scheduler;

import org.sglang4j.engine.EngineStats;

/**
 * Load figures the scheduler publishes after every step (SGLang {@code SchedulerMetricsCollector} gauges):
 * written by the scheduler thread, read as one immutable snapshot by anyone.
 */
final class SchedulerStats {
    private final int maxTotalTokens;
    private volatile EngineStats snapshot;
    private long hitTokens;
    private long inputTokens;
    private long retractions;
    private long genTokens;
    private long windowStartNanos = System.nanoTime();
    private long windowGenTokens;
    private double genThroughput;
    private volatile int grammarQueueReqs;

    SchedulerStats(int maxTotalTokens) {
        this.maxTotalTokens = maxTotalTokens;
        this.snapshot = new EngineStats(0, 0, 0, 0, maxTotalTokens, 0, 0, 0, 0);
    }

    EngineStats snapshot() {
        return snapshot;
    }

    void recordPrefill(int hit, int input) {
        hitTokens += hit;
        inputTokens += input;
    }

    void recordGenerated(int n) {
        genTokens += n;
        windowGenTokens += n;
    }

    void recordRetractions(int n) {
        retractions += n;
    }

    void resetCacheCounters() {
        hitTokens = 0;
        inputTokens = 0;
    }

    void setGrammarQueueReqs(int n) {
        grammarQueueReqs = n;
    }

    void publish(int runningReqs, int queuedReqs, int usedTokens) {
        long now = System.nanoTime();
        if (now - windowStartNanos >= 1_000_000_000L) {
            genThroughput = windowGenTokens * 1e9 / (now - windowStartNanos);
            windowStartNanos = now;
            windowGenTokens = 0;
        }
        double hitRate = hitTokens + inputTokens == 0 ? 0 : (double) hitTokens / (hitTokens + inputTokens);
        snapshot = new EngineStats(runningReqs, queuedReqs, grammarQueueReqs, usedTokens, maxTotalTokens,
                (double) usedTokens / maxTotalTokens, hitRate, genThroughput, retractions);
    }
}
