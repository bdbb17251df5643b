package org.sglang4j.engine;

/** A consistent snapshot of the scheduler's load, published after every step. */
public record EngineStats(int runningReqs, int queuedReqs, int grammarQueueReqs, int usedTokens,
                          int maxTotalTokens, double tokenUsage, double cacheHitRate, double genThroughput,
                          long totalRetractions) {}
