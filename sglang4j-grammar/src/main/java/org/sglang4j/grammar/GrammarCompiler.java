package org.sglang4j.grammar;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.fsm.NfaBuilder;
import org.sglang4j.grammar.fsm.SubsetConstruction;
import org.sglang4j.grammar.json.JsonSchemaConverter;
import org.sglang4j.grammar.mask.TokenizerInfo;
import org.sglang4j.grammar.regex.Regex;
import org.sglang4j.grammar.regex.RegexParser;

/**
 * Compiles request constraints for one tokenizer (SGLang's grammar backend): constraint → {@link Regex} → minimal
 * byte DFA → {@link CompiledGrammar}, cached by {@link Constraint#key()} with LRU eviction. Failures are cached too
 * (like SGLang's {@code INVALID_GRAMMAR_OBJ}), so a bad or pathological grammar sent again fails at once instead
 * of burning another time limit. Thread-safe; concurrent requests for the same key share one compilation.
 *
 * <p>Compilation runs on the caller's thread ({@link #compile}) or an executor ({@link #compileAsync}), never the
 * scheduler's: it takes milliseconds for typical schemas but is only bounded by the time limit.
 */
public final class GrammarCompiler {
    private final TokenizerInfo tokenizer;
    private final GrammarConfig config;
    private final Map<String, CompletableFuture<CompiledGrammar>> cache;

    public GrammarCompiler(Tokenizer tokenizer, int cacheSize) {
        this(tokenizer, GrammarConfig.defaults().withCacheSize(cacheSize));
    }

    public GrammarCompiler(Tokenizer tokenizer, GrammarConfig config) {
        this.tokenizer = new TokenizerInfo(tokenizer);
        this.config = config;
        // The whitespace pattern is server configuration: reject a bad one at start-up, not per request.
        RegexParser.parse(config.jsonWhitespacePattern());
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<CompiledGrammar>> eldest) {
                return size() > config.cacheSize();
            }
        };
    }

    public GrammarConfig config() {
        return config;
    }

    /**
     * Compiles {@code c}, or returns the cached result. {@code timeout} bounds this compilation (the work really
     * stops when it runs out) and also how long to wait for an identical compilation already in progress.
     *
     * @throws GrammarException if the constraint is invalid, unsupported, matches nothing, or is too complex
     */
    public CompiledGrammar compile(Constraint c, Duration timeout) {
        CompletableFuture<CompiledGrammar> f;
        boolean mine = false;
        synchronized (cache) {
            f = cache.get(c.key());
            if (f == null) {
                f = new CompletableFuture<>();
                cache.put(c.key(), f);
                mine = true;
            }
        }
        if (mine) run(c, timeout, f);
        return await(f, timeout);
    }

    /**
     * Compiles {@code c} on {@code executor}; the future completes with the grammar or a {@link GrammarException}.
     * A cached (or in-flight) result is returned as is. The time limit starts when the executor runs the task.
     */
    public CompletableFuture<CompiledGrammar> compileAsync(Constraint c, Duration timeout, Executor executor) {
        CompletableFuture<CompiledGrammar> f;
        synchronized (cache) {
            f = cache.get(c.key());
            if (f != null) return f;
            f = new CompletableFuture<>();
            cache.put(c.key(), f);
        }
        CompletableFuture<CompiledGrammar> task = f;
        try {
            executor.execute(() -> run(c, timeout, task));
        } catch (RejectedExecutionException e) {
            forget(c.key(), task);
            task.completeExceptionally(e);
        }
        return f;
    }

    /** The cached grammar for {@code c} if its compilation has finished successfully, else null. */
    public CompiledGrammar cached(Constraint c) {
        CompletableFuture<CompiledGrammar> f;
        synchronized (cache) {
            f = cache.get(c.key());
        }
        return f != null && f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
    }

    /** Converts a constraint to the regex it is compiled from (no DFA is built). */
    public Regex toRegex(Constraint c) {
        return toRegex(c, Deadline.none());
    }

    private Regex toRegex(Constraint c, Deadline deadline) {
        return switch (c) {
            case Constraint.Regex r -> RegexParser.parse(r.pattern());
            case Constraint.JsonSchema s -> JsonSchemaConverter.fromSchema(s.schema(), config, deadline);
            case Constraint.JsonObject o -> JsonSchemaConverter.anyJsonObject(config);
            case Constraint.Choices ch -> choices(ch);
            case Constraint.Ebnf e -> throw new GrammarException("EBNF grammars are not supported; use regex, json_schema or choices");
        };
    }

    private static Regex choices(Constraint.Choices ch) {
        if (ch.choices().isEmpty()) throw new GrammarException("choices must list at least one string");
        return Regex.alt(ch.choices().stream().map(Regex::literal).toList());
    }

    private void run(Constraint c, Duration timeout, CompletableFuture<CompiledGrammar> f) {
        try {
            f.complete(build(c, Deadline.after(timeout)));
        } catch (GrammarException e) {
            f.completeExceptionally(e);
        } catch (StackOverflowError e) {
            f.completeExceptionally(new GrammarException("grammar nested too deeply to compile", e));
        } catch (RuntimeException | Error e) {
            forget(c.key(), f); // a bug or out of memory, not the request's fault: do not cache
            f.completeExceptionally(e);
            throw e;
        }
    }

    private CompiledGrammar build(Constraint c, Deadline deadline) {
        Regex regex = toRegex(c, deadline);
        deadline.checkNow("parsing");
        ByteDfa dfa = SubsetConstruction.minimalDfa(NfaBuilder.build(regex, deadline, config.maxStates() * 2L), deadline,
                config.maxStates());
        if (dfa.numStates() == 1 && !dfa.hasTransitions(0)) {
            throw new GrammarException("the grammar matches only the empty string, so nothing could be generated");
        }
        CompiledGrammar g = new CompiledGrammar(c.key(), regex, dfa, tokenizer, deadline);
        g.masks().warm(0);
        return g;
    }

    private void forget(String key, CompletableFuture<CompiledGrammar> f) {
        synchronized (cache) {
            cache.remove(key, f);
        }
    }

    private static CompiledGrammar await(CompletableFuture<CompiledGrammar> f, Duration timeout) {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GrammarException g) throw g;
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new GrammarException("grammar compilation did not finish within " + timeout.toMillis() + " ms");
        } catch (CancellationException e) {
            throw new GrammarException("grammar compilation was cancelled");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GrammarException("interrupted while waiting for grammar compilation");
        }
    }
}
