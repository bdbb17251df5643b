package org.sglang4j.grammar.mask;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.fsm.ByteDfa;

/**
 * The token-level index of one compiled grammar: which tokens may come next in each DFA state, computed the first
 * time a request needs it and shared by every request with the same grammar. Short tokens (most of the
 * vocabulary) are stored once per {@link MaskClasses mask class} — a sorted id list when few are allowed (inside a
 * property name), else a bitset; long tokens are checked per state and kept as a short id list. EOS is allowed in
 * accepting states, and in the (vocabulary-dependent) case of a state that no token can continue, so such a request
 * ends instead of sampling from an empty mask.
 *
 * <p>Thread-safe: two threads reaching a new state at once both compute it and one result wins.
 */
public final class TokenMasks {
    private final TokenizerInfo info;
    private final ByteDfa dfa;
    private final int[] classOf; // [state] mask class
    private final AtomicReferenceArray<Object> shortByClass; // long[] bitset or int[] sorted ids
    private final AtomicReferenceArray<int[]> longByState; // sorted ids

    public TokenMasks(TokenizerInfo info, ByteDfa dfa, Deadline deadline) {
        this.info = info;
        this.dfa = dfa;
        this.classOf = MaskClasses.of(dfa, TokenizerInfo.SHORT_TOKEN_BYTES, deadline);
        int classes = Arrays.stream(classOf).max().orElse(0) + 1;
        this.shortByClass = new AtomicReferenceArray<>(classes);
        this.longByState = new AtomicReferenceArray<>(dfa.numStates());
    }

    /** Number of distinct short-token masks the grammar can need (≤ DFA states). */
    public int maskClasses() {
        return shortByClass.length();
    }

    /** Writes state's mask into {@code mask[offset, offset + maskWords)}, overwriting every word. */
    public void fill(int state, long[] mask, int offset) {
        Object shorts = shortEntry(state);
        int[] longs = longEntry(state);
        int words = info.maskWords();
        if (shorts instanceof long[] bits) {
            System.arraycopy(bits, 0, mask, offset, words);
        } else {
            Arrays.fill(mask, offset, offset + words, 0L);
            for (int t : (int[]) shorts) mask[offset + (t >>> 6)] |= 1L << t;
        }
        for (int t : longs) mask[offset + (t >>> 6)] |= 1L << t;
        if (eosAllowed(state, shorts, longs)) for (int eos : info.eosArray()) mask[offset + (eos >>> 6)] |= 1L << eos;
    }

    public boolean allows(int state, int token) {
        Object shorts = shortEntry(state);
        int[] longs = longEntry(state);
        if (info.isEos(token)) return eosAllowed(state, shorts, longs);
        if (Arrays.binarySearch(longs, token) >= 0) return true;
        return shorts instanceof long[] bits ? (bits[token >>> 6] & (1L << token)) != 0 : Arrays.binarySearch((int[]) shorts, token) >= 0;
    }

    /** Number of allowed tokens (EOS included) in {@code state}. */
    public int count(int state) {
        Object shorts = shortEntry(state);
        int[] longs = longEntry(state);
        int n = count(shorts) + longs.length;
        return n + (eosAllowed(state, shorts, longs) ? info.eosArray().length : 0);
    }

    /** Computes the state's entries now if they are not cached yet (compile time warms the start state). */
    public void warm(int state) {
        shortEntry(state);
        longEntry(state);
    }

    private boolean eosAllowed(int state, Object shorts, int[] longs) {
        return dfa.isAccepting(state) || longs.length == 0 && count(shorts) == 0;
    }

    private static int count(Object shorts) {
        if (shorts instanceof int[] ids) return ids.length;
        int c = 0;
        for (long w : (long[]) shorts) c += Long.bitCount(w);
        return c;
    }

    private Object shortEntry(int state) {
        int c = classOf[state];
        Object m = shortByClass.get(c);
        if (m == null) {
            long[] bits = new long[info.maskWords()];
            int count = info.shortTrie().allowedTokens(dfa, state, bits);
            m = count >= bits.length ? bits : ids(bits, count); // an id list is smaller below one id per word
            if (!shortByClass.compareAndSet(c, null, m)) m = shortByClass.get(c);
        }
        return m;
    }

    private int[] longEntry(int state) {
        int[] m = longByState.get(state);
        if (m == null) {
            long[] bits = new long[info.maskWords()];
            m = ids(bits, info.longTrie().allowedTokens(dfa, state, bits));
            if (!longByState.compareAndSet(state, null, m)) m = longByState.get(state);
        }
        return m;
    }

    private static int[] ids(long[] bits, int count) {
        int[] ids = new int[count];
        int n = 0;
        for (int w = 0; w < bits.length; w++) {
            for (long word = bits[w]; word != 0; word &= word - 1) ids[n++] = (w << 6) + Long.numberOfTrailingZeros(word);
        }
        return ids;
    }
}
