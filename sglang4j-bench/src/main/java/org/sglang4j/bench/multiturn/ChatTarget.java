package org.sglang4j.bench.multiturn;

/**
 * Something that answers one turn: our engine in process, or llama.cpp's server over HTTP. Both get the whole
 * conversation so far as token ids (classic SGLang: prefix reuse is the cache's job, not the client's) and must
 * generate exactly {@code maxNew} tokens greedily.
 */
sealed interface ChatTarget extends AutoCloseable permits EngineTarget, LlamaServerTarget {

    /** What one turn cost and produced. */
    record TurnResult(double ttftSeconds, double e2eSeconds, int[] output, int promptTokens, int cachedTokens) {}

    String name();

    TurnResult send(String rid, int[] prompt, int maxNew) throws Exception;

    /** Cache hit rate as the target itself reports it (NaN when it does not). */
    double reportedCacheHitRate();

    @Override
    void close();
}
