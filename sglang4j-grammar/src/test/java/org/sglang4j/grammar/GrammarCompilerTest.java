package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;

/** The compiler's cache and threading contract, and the matcher's per-step contract as the scheduler uses it. */
class GrammarCompilerTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void cacheHitReturnsTheSameGrammarAndEvictsLeastRecentlyUsed() {
        GrammarCompiler c = new GrammarCompiler(Vocabs.qwen2(), 2);
        CompiledGrammar a = c.compile(new Constraint.Regex("a+"), LIMIT);
        assertThat(c.compile(new Constraint.Regex("a+"), LIMIT)).isSameAs(a);
        assertThat(c.cached(new Constraint.Regex("a+"))).isSameAs(a);
        CompiledGrammar b = c.compile(new Constraint.Regex("b+"), LIMIT);
        c.compile(new Constraint.Regex("a+"), LIMIT); // a is now the most recent
        c.compile(new Constraint.Regex("c+"), LIMIT); // evicts b
        assertThat(c.cached(new Constraint.Regex("b+"))).isNull();
        assertThat(c.compile(new Constraint.Regex("a+"), LIMIT)).isSameAs(a);
        assertThat(c.compile(new Constraint.Regex("b+"), LIMIT)).isNotSameAs(b);
    }

    @Test
    void aFailureIsCachedLikeSGLangsInvalidGrammar() {
        GrammarCompiler c = new GrammarCompiler(Vocabs.qwen2(), 4);
        Constraint bad = new Constraint.Regex("(");
        GrammarException first = catchGrammarException(() -> c.compile(bad, LIMIT));
        GrammarException second = catchGrammarException(() -> c.compile(bad, LIMIT));
        assertThat(second).isSameAs(first);
        assertThat(c.cached(bad)).isNull();
    }

    @Test
    void concurrentRequestsForOneKeyShareOneCompilation() throws Exception {
        GrammarCompiler c = new GrammarCompiler(Vocabs.qwen2(), 4);
        Constraint schema = new Constraint.JsonSchema(Schemas.NLU);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<CompiledGrammar>> results = pool.invokeAll(java.util.Collections.nCopies(8, () -> c.compile(schema, LIMIT)));
            CompiledGrammar g = results.getFirst().get();
            for (Future<CompiledGrammar> f : results) assertThat(f.get()).isSameAs(g);
        }
    }

    @Test
    void compileAsyncRunsOnTheGivenExecutorAndReportsErrorsThroughTheFuture() throws Exception {
        GrammarCompiler c = new GrammarCompiler(Vocabs.qwen2(), 4);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            CompletableFuture<CompiledGrammar> ok = c.compileAsync(new Constraint.JsonSchema(Schemas.TICKET), LIMIT, pool);
            assertThat(c.compileAsync(new Constraint.JsonSchema(Schemas.TICKET), LIMIT, pool)).isSameAs(ok);
            assertThat(ok.get().numStates()).isGreaterThan(10);
            CompletableFuture<CompiledGrammar> bad = c.compileAsync(new Constraint.JsonSchema("{\"type\":\"array\",\"uniqueItems\":true}"), LIMIT, pool);
            assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GrammarException.class)
                    .hasMessageContaining("uniqueItems");
        }
    }

    @Test
    void matcherFollowsTheDecodeStepContract() {
        Tokenizer tok = Vocabs.qwen2();
        GrammarCompiler c = Vocabs.compiler(Vocabs.QWEN2);
        CompiledGrammar g = c.compile(new Constraint.Regex("yes|no|nope"), LIMIT);
        GrammarMatcher m = g.newMatcher();
        int eos = tok.eosIds()[0];
        int yes = single(tok, "yes"), no = single(tok, "no"), pe = single(tok, "pe"), x = single(tok, "x");
        assertThat(m.isAccepting()).isFalse();
        assertThat(m.acceptToken(eos)).as("EOS before a full match").isFalse();
        assertThat(m.acceptToken(x)).isFalse();
        assertThat(m.acceptToken(tok.bosId() >= 0 ? tok.bosId() : 151644)).as("special token").isFalse();
        assertThat(m.acceptToken(no)).isTrue();
        assertThat(m.isAccepting()).isTrue();
        assertThat(m.isTerminated()).as("'nope' may still follow").isFalse();
        long[] mask = new long[g.maskWords()];
        m.fillNextTokenMask(mask);
        assertThat(bit(mask, eos)).isTrue();
        assertThat(bit(mask, pe)).isTrue();
        assertThat(bit(mask, yes)).isFalse();
        assertThat(m.acceptToken(pe)).isTrue();
        assertThat(m.isTerminated()).as("'nope' is complete and nothing may follow").isTrue();
        m.fillNextTokenMask(mask);
        assertThat(Arrays.stream(tok.eosIds()).allMatch(e -> bit(mask, e))).isTrue();
        assertThat(countBits(mask)).isEqualTo(tok.eosIds().length);
        assertThat(m.acceptToken(eos)).isTrue();
        assertThat(m.acceptToken(eos)).as("nothing after EOS").isFalse();
        assertThat(m.acceptedTokens()).isEqualTo(3);
    }

    @Test
    void maskRowsOfABatchDoNotTouchEachOther() {
        GrammarCompiler c = Vocabs.compiler(Vocabs.QWEN2);
        CompiledGrammar a = c.compile(new Constraint.Regex("[0-9]+"), LIMIT), b = c.compile(new Constraint.JsonSchema(Schemas.TICKET), LIMIT);
        int words = a.maskWords();
        long[] batch = new long[3 * words];
        Arrays.fill(batch, -1L); // row 1 is an unconstrained request: all ones, must stay so
        a.newMatcher().fillNextTokenMask(batch, 0);
        b.newMatcher().fillNextTokenMask(batch, 2 * words);
        long[] alone = new long[words];
        a.newMatcher().fillNextTokenMask(alone);
        assertThat(Arrays.copyOfRange(batch, 0, words)).isEqualTo(alone);
        assertThat(Arrays.copyOfRange(batch, words, 2 * words)).containsOnly(-1L);
        b.newMatcher().fillNextTokenMask(alone);
        assertThat(Arrays.copyOfRange(batch, 2 * words, 3 * words)).isEqualTo(alone);
    }

    @Test
    void jsonWhitespacePatternIsCheckedAtStartUp() {
        assertThatThrownBy(() -> new GrammarCompiler(Vocabs.qwen2(), GrammarConfig.defaults().withJsonWhitespacePattern("[ ")))
                .isInstanceOf(GrammarException.class).hasMessageContaining("unterminated character set");
        assertThatThrownBy(() -> GrammarConfig.defaults().withCacheSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cacheSize");
    }

    @Test
    void choicesMatchExactlyOneString() {
        CompiledGrammar g = Vocabs.compiler(Vocabs.QWEN2).compile(new Constraint.Choices(List.of("退款", "refund", "re{fund}")), LIMIT);
        for (String s : List.of("退款", "refund", "re{fund}")) assertThat(Dfas.accepts(g.dfa(), s)).as(s).isTrue();
        for (String s : List.of("退", "refun", "refund ", "re{fund")) assertThat(Dfas.accepts(g.dfa(), s)).as(s).isFalse();
    }

    private static int single(Tokenizer tok, String text) {
        int[] ids = tok.encode(text, false, false);
        assertThat(ids).as("'%s' is one token", text).hasSize(1);
        assertThat(tok.tokenBytes(ids[0])).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        return ids[0];
    }

    private static boolean bit(long[] mask, int t) {
        return (mask[t >>> 6] & (1L << t)) != 0;
    }

    private static int countBits(long[] mask) {
        return Arrays.stream(mask).mapToInt(Long::bitCount).sum();
    }

    private static GrammarException catchGrammarException(Runnable r) {
        try {
            r.run();
        } catch (GrammarException e) {
            return e;
        }
        throw new AssertionError("no GrammarException");
    }
}
