package org.sglang4j.grammar;

import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.mask.TokenMasks;
import org.sglang4j.grammar.mask.TokenizerInfo;
import org.sglang4j.grammar.regex.Regex;

/**
 * A grammar compiled for one tokenizer: its minimal byte DFA and the lazily filled token index. Immutable apart
 * from that cache, shared by all requests with the same constraint; each request gets its own
 * {@link #newMatcher()}.
 */
public final class CompiledGrammar {
    private final String key;
    private final Regex regex;
    private final ByteDfa dfa;
    private final TokenizerInfo tokenizer;
    private final TokenMasks masks;

    CompiledGrammar(String key, Regex regex, ByteDfa dfa, TokenizerInfo tokenizer, Deadline deadline) {
        this.key = key;
        this.regex = regex;
        this.dfa = dfa;
        this.tokenizer = tokenizer;
        this.masks = new TokenMasks(tokenizer, dfa, deadline);
    }

    public GrammarMatcher newMatcher() {
        return new GrammarMatcher(this);
    }

    /** The constraint's cache key ({@code Constraint.key()}). */
    public String key() { return key; }

    /** The regular expression the constraint compiled to (for a JSON schema: the generated regex), as text. */
    public String regex() { return regex.toPattern(); }

    /** States of the minimal byte DFA. */
    public int numStates() { return dfa.numStates(); }

    /** Words of one mask row for {@link GrammarMatcher#fillNextTokenMask(long[], int)}. */
    public int maskWords() { return tokenizer.maskWords(); }

    ByteDfa dfa() { return dfa; }

    TokenMasks masks() { return masks; }

    TokenizerInfo tokenizer() { return tokenizer; }
}
