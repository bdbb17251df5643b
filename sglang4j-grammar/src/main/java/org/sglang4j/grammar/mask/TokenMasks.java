package org.sglang4j.grammar.mask;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.sglang4j.grammar.fsm.ByteDfa;

/**
 * The token-level index of one compiled grammar: for each DFA state, the tokens allowed next, computed the first
 * time a request reaches the state and then shared by every request with the same grammar. A state that allows
 * few tokens (inside a literal such as a property name) is stored as a sorted id list, others as a bitset. EOS ids
 * are included in accepting states — and in the (vocabulary-dependent) case of a live state that no token can
 * continue, so such a request ends instead of sampling from an empty mask.
 *
 * <p>Thread-safe: two threads reaching a new state at once both compute it and one result wins.
 */
public final class TokenMasks {
    private final TokenizerInfo info;
    private final ByteDfa dfa;
    private final AtomicReferenceArray<Object> byState; // long[] bitset or int[] sorted ids

    public TokenMasks(TokenizerInfo info, ByteDfa dfa) {
        this.info = info;
        this.dfa = dfa;
        this.byState = new AtomicReferenceArray<>(dfa.numStates());
    }

    /** Writes state's mask into {@code mask[offset, offset + maskWords)}, overwriting every word. */
    public void fill(int state, long[] mask, int offset) {
        Object m = entry(state);
        int words = info.maskWords();
        if (m instanceof long[] bits) {
            System.arraycopy(bits, 0, mask, offset, words);
        } else {
            Arrays.fill(mask, offset, offset + words, 0L);
            for (int t : (int[]) m) mask[offset + (t >>> 6)] |= 1L << t;
        }
    }

    public boolean allows(int state, int token) {
        Object m = entry(state);
        return m instanceof long[] bits ? (bits[token >>> 6] & (1L << token)) != 0 : Arrays.binarySearch((int[]) m, token) >= 0;
    }

    /** Number of allowed tokens (EOS included) in {@code state}. */
    public int count(int state) {
        Object m = entry(state);
        if (m instanceof int[] ids) return ids.length;
        int c = 0;
        for (long w : (long[]) m) c += Long.bitCount(w);
        return c;
    }

    /** Computes the state's entry now if it is not cached yet (compile time warms the start state). */
    public void warm(int state) {
        entry(state);
    }

    private Object entry(int state) {
        Object m = byState.get(state);
        if (m == null) {
            m = compute(state);
            if (!byState.compareAndSet(state, null, m)) m = byState.get(state);
        }
        return m;
    }

    private Object compute(int state) {
        long[] bits = new long[info.maskWords()];
        int count = info.trie().allowedTokens(dfa, state, bits);
        if (dfa.isAccepting(state) || count == 0) {
            for (int eos : info.eosArray()) {
                if ((bits[eos >>> 6] & (1L << eos)) == 0) count++;
                bits[eos >>> 6] |= 1L << eos;
            }
        }
        if (count >= bits.length) return bits; // an id list would not be smaller
        int[] ids = new int[count];
        int n = 0;
        for (int w = 0; w < bits.length; w++) {
            for (long word = bits[w]; word != 0; word &= word - 1) ids[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
        }
        return ids;
    }
}
