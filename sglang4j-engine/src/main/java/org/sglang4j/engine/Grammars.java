package org.sglang4j.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.grammar.CompiledGrammar;
import org.sglang4j.grammar.GrammarCompiler;
import org.sglang4j.grammar.GrammarException;

/**
 * The engine's grammar step (SGLang's grammar backend + {@code grammar_queue}): compiles a request's constraint
 * on the submitting thread with a time limit, cached by constraint text, and counts compilations in flight for
 * {@code sglang:num_grammar_queue_reqs}. An invalid or too complex grammar fails only its own request with a 400.
 * The compiler is built on first use, so unconstrained deployments never pay for the vocabulary index.
 */
final class Grammars {
    /** SGLang {@code SGLANG_GRAMMAR_TIMEOUT} is 300 s; a caller waits here, so the default is shorter. */
    static final Duration TIMEOUT = Duration.ofSeconds(Long.getLong("sglang4j.grammarTimeoutSeconds", 30));
    static final int CACHE_SIZE = Integer.getInteger("sglang4j.grammarCacheSize", 256);

    private final Tokenizer tokenizer;
    private final AtomicInteger compiling = new AtomicInteger();
    private volatile GrammarCompiler compiler;

    Grammars(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    CompiledGrammar compile(Constraint c) {
        compiling.incrementAndGet();
        try {
            return compiler().compile(c, TIMEOUT);
        } catch (GrammarException e) {
            throw new InvalidRequestException(400, param(c), e.getMessage());
        } finally {
            compiling.decrementAndGet();
        }
    }

    int compiling() {
        return compiling.get();
    }

    private GrammarCompiler compiler() {
        GrammarCompiler c = compiler;
        if (c == null) {
            synchronized (this) {
                if (compiler == null) compiler = new GrammarCompiler(tokenizer, CACHE_SIZE);
                c = compiler;
            }
        }
        return c;
    }

    private static String param(Constraint c) {
        return switch (c) {
            case Constraint.Regex r -> "regex";
            case Constraint.JsonSchema j -> "json_schema";
            case Constraint.JsonObject j -> "response_format";
            case Constraint.Choices ch -> "choices";
            case Constraint.Ebnf e -> "ebnf";
        };
    }
}
