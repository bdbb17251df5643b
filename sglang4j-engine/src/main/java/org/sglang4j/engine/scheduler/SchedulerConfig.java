package org.sglang4j.engine.scheduler;

/**
 * What the scheduler needs, projected from {@code EngineConfig} once the pool is sized.
 *
 * @param maxTotalTokens           KV pool capacity in tokens
 * @param chunkedPrefillSize       max tokens of one prefill chunk; -1 disables chunking
 * @param maxPrefillTokens         new-token budget of one prefill batch
 * @param schedulePolicy           "fcfs" or "lpm"
 * @param enableMixedChunk         run the decode tokens of running requests in the same pass as a prefill
 * @param scheduleConservativeness scales the initial new-token ratio (SGLang {@code --schedule-conservativeness})
 * @param eosIds                   tokens that end a request (unless ignore_eos)
 * @param bosId                    BOS token, trimmed from the start of a session continuation; -1 if none
 * @param sessionPinCapTokens      most KV tokens sessions may keep pinned; beyond it the least recently used
 *                                 session's pin is released
 * @param sessionPinTtlSeconds     default time a session's KV stays pinned after its last request
 */
public record SchedulerConfig(int maxTotalTokens, int maxRunningRequests, int contextLength, int chunkedPrefillSize,
                              int maxPrefillTokens, String schedulePolicy, boolean disableRadixCache,
                              boolean enableMixedChunk, double scheduleConservativeness, int[] eosIds, int bosId,
                              int sessionPinCapTokens, double sessionPinTtlSeconds) {

    public SchedulerConfig {
        require(maxTotalTokens >= 1, "--max-total-tokens must be >= 1, got " + maxTotalTokens);
        require(maxRunningRequests >= 1, "--max-running-requests must be >= 1, got " + maxRunningRequests);
        require(contextLength >= 2, "--context-length must be >= 2, got " + contextLength);
        require(chunkedPrefillSize == -1 || chunkedPrefillSize >= 1,
                "--chunked-prefill-size must be -1 (off) or >= 1, got " + chunkedPrefillSize);
        require(maxPrefillTokens >= 1, "--max-prefill-tokens must be >= 1, got " + maxPrefillTokens);
        require(scheduleConservativeness > 0, "--schedule-conservativeness must be > 0, got " + scheduleConservativeness);
        SchedulePolicy.of(schedulePolicy);
        eosIds = eosIds.clone();
    }

    /** Defaults for tests and small setups. */
    public static SchedulerConfig of(int maxTotalTokens, int maxRunningRequests, int contextLength, int[] eosIds) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, 2048, 16384, "fcfs", false,
                false, 1.0, eosIds, -1, maxTotalTokens / 2, 300);
    }

    public SchedulerConfig withChunkedPrefillSize(int v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, v, maxPrefillTokens,
                schedulePolicy, disableRadixCache, enableMixedChunk, scheduleConservativeness, eosIds, bosId,
                sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withMaxPrefillTokens(int v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize, v,
                schedulePolicy, disableRadixCache, enableMixedChunk, scheduleConservativeness, eosIds, bosId,
                sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withSchedulePolicy(String v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize,
                maxPrefillTokens, v, disableRadixCache, enableMixedChunk, scheduleConservativeness, eosIds, bosId,
                sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withDisableRadixCache(boolean v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize,
                maxPrefillTokens, schedulePolicy, v, enableMixedChunk, scheduleConservativeness, eosIds, bosId,
                sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withEnableMixedChunk(boolean v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize,
                maxPrefillTokens, schedulePolicy, disableRadixCache, v, scheduleConservativeness, eosIds, bosId,
                sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withScheduleConservativeness(double v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize,
                maxPrefillTokens, schedulePolicy, disableRadixCache, enableMixedChunk, v, eosIds, bosId,
                sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withBosId(int v) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize,
                maxPrefillTokens, schedulePolicy, disableRadixCache, enableMixedChunk, scheduleConservativeness,
                eosIds, v, sessionPinCapTokens, sessionPinTtlSeconds);
    }

    public SchedulerConfig withSessionPins(int capTokens, double ttlSeconds) {
        return new SchedulerConfig(maxTotalTokens, maxRunningRequests, contextLength, chunkedPrefillSize,
                maxPrefillTokens, schedulePolicy, disableRadixCache, enableMixedChunk, scheduleConservativeness,
                eosIds, bosId, capTokens, ttlSeconds);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
