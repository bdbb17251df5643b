package org.sglang4j.grammar;

import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.mask.TokenMasks;
import org.sglang4j.grammar.mask.TokenizerInfo;

/**
 * One request's position in its grammar. Not thread-safe: used only by the scheduler thread, once per decode step:
 * {@link #fillNextTokenMask} before sampling, {@link #acceptToken} with the sampled id, then finish the request if
 * {@link #isTerminated()}. Filling a mask for a state seen before costs one array copy; the first visit of a state
 * walks the vocabulary trie (about a millisecond for Qwen2 in a state that allows almost every token).
 */
public final class GrammarMatcher {
    private final CompiledGrammar grammar;
    private final ByteDfa dfa;
    private final TokenMasks masks;
    private final TokenizerInfo tokenizer;
    private int state;
    private boolean ended;
    private int acceptedTokens;

    GrammarMatcher(CompiledGrammar grammar) {
        this.grammar = grammar;
        this.dfa = grammar.dfa();
        this.masks = grammar.masks();
        this.tokenizer = grammar.tokenizer();
    }

    /** Same as {@code fillNextTokenMask(mask, 0)}. */
    public void fillNextTokenMask(long[] mask) {
        fillNextTokenMask(mask, 0);
    }

    /**
     * Writes the allowed next tokens into {@code mask[offset, offset + maskWords())} (bit t of word t/64 set = token
     * t allowed), overwriting those words. EOS is allowed only where the output so far is a complete match; after
     * EOS, only EOS is allowed.
     */
    public void fillNextTokenMask(long[] mask, int offset) {
        if (ended) {
            java.util.Arrays.fill(mask, offset, offset + tokenizer.maskWords(), 0L);
            for (int eos : tokenizer.eosIds()) mask[offset + (eos >>> 6)] |= 1L << eos;
            return;
        }
        masks.fill(state, mask, offset);
    }

    /** Advances past {@code tokenId} and returns true if the grammar allows it here; otherwise changes nothing. */
    public boolean acceptToken(int tokenId) {
        if (ended) return false;
        if (tokenizer.isEos(tokenId)) {
            if (!masks.allows(state, tokenId)) return false;
            ended = true;
            acceptedTokens++;
            return true;
        }
        if (!tokenizer.isText(tokenId)) return false;
        int next = dfa.run(state, tokenizer.bytes(), tokenizer.tokenStart(tokenId), tokenizer.tokenEnd(tokenId));
        if (next < 0) return false;
        state = next;
        acceptedTokens++;
        return true;
    }

    /** True if the output so far (EOS aside) is a complete match. */
    public boolean isAccepting() {
        return ended || dfa.isAccepting(state);
    }

    /** True if the request should finish now: EOS was accepted, or the output is complete and nothing may follow. */
    public boolean isTerminated() {
        return ended || dfa.isAccepting(state) && !dfa.hasTransitions(state);
    }

    /** Tokens accepted so far, EOS included. */
    public int acceptedTokens() {
        return acceptedTokens;
    }

    public CompiledGrammar grammar() {
        return grammar;
    }
}
