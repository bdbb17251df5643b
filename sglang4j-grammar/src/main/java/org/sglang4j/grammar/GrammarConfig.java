package org.sglang4j.grammar;

/**
 * Options of a {@link GrammarCompiler}.
 *
 * @param cacheSize            compiled grammars kept, least recently used evicted (SGLang caches by constraint text)
 * @param jsonWhitespacePattern regex for the whitespace allowed between JSON tokens (SGLang's
 *                              {@code --constrained-json-whitespace-pattern}); the default {@code [ ]?} (one optional
 *                              space, as Outlines) keeps output compact and cannot loop on whitespace
 * @param jsonObjectMaxDepth   nesting depth of arrays/objects in {@code json_object} mode and for schemas that leave
 *                             a value's type open (1 = a flat object of scalars)
 * @param maxRefDepth          how many times a recursive {@code $ref} is expanded before that branch is cut off
 * @param maxStates            limit on automaton states; larger grammars fail with a {@link GrammarException}
 */
public record GrammarConfig(int cacheSize, String jsonWhitespacePattern, int jsonObjectMaxDepth, int maxRefDepth, int maxStates) {
    public static final String DEFAULT_JSON_WHITESPACE = "[ ]?";

    public GrammarConfig {
        if (cacheSize < 1) throw new IllegalArgumentException("grammar cacheSize must be >= 1, got " + cacheSize);
        if (jsonWhitespacePattern == null) throw new IllegalArgumentException("jsonWhitespacePattern must not be null (use \"\" for none)");
        if (jsonObjectMaxDepth < 1) throw new IllegalArgumentException("jsonObjectMaxDepth must be >= 1, got " + jsonObjectMaxDepth);
        if (maxRefDepth < 1) throw new IllegalArgumentException("maxRefDepth must be >= 1, got " + maxRefDepth);
        if (maxStates < 16) throw new IllegalArgumentException("maxStates must be >= 16, got " + maxStates);
    }

    public static GrammarConfig defaults() {
        return new GrammarConfig(256, DEFAULT_JSON_WHITESPACE, 5, 3, 100_000);
    }

    public GrammarConfig withCacheSize(int n) {
        return new GrammarConfig(n, jsonWhitespacePattern, jsonObjectMaxDepth, maxRefDepth, maxStates);
    }

    public GrammarConfig withJsonWhitespacePattern(String pattern) {
        return new GrammarConfig(cacheSize, pattern, jsonObjectMaxDepth, maxRefDepth, maxStates);
    }

    public GrammarConfig withJsonObjectMaxDepth(int depth) {
        return new GrammarConfig(cacheSize, jsonWhitespacePattern, depth, maxRefDepth, maxStates);
    }

    public GrammarConfig withMaxStates(int n) {
        return new GrammarConfig(cacheSize, jsonWhitespacePattern, jsonObjectMaxDepth, maxRefDepth, n);
    }
}
