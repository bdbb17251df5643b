package org.sglang4j.grammar.mask;

import java.util.Arrays;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * What the grammar module needs from a tokenizer, read once (XGrammar's {@code TokenizerInfo}): the bytes of every
 * token, which ids end generation, and byte tries of the tokens that may appear in constrained output. Special
 * tokens, EOS tokens and tokens with no bytes are never in the trie, so the mask never allows them (EOS is added
 * separately in accepting states). Immutable and thread-safe.
 */
public final class TokenizerInfo {
    private final int vocabSize;
    private final byte[] bytes; // all token bytes, token t at [offset[t], offset[t+1])
    private final int[] offset;
    private final int[] eosIds;
    private final boolean[] isEos;
    private final boolean[] inTrie;
    private final VocabTrie shortTrie; // text tokens of at most SHORT_TOKEN_BYTES bytes
    private final VocabTrie longTrie; // the rest (Qwen2: 1,920 of 151,646)

    /**
     * Tokens up to this many bytes share masks between equivalent DFA states (see {@link MaskClasses}); longer
     * ones are checked per state. 16 covers 98.7% of Qwen2's and Llama 3's text tokens.
     */
    static final int SHORT_TOKEN_BYTES = 16;

    public TokenizerInfo(Tokenizer tokenizer) {
        vocabSize = tokenizer.vocabSize();
        if (vocabSize <= 0) throw new IllegalArgumentException("tokenizer has vocabSize " + vocabSize);
        offset = new int[vocabSize + 1];
        byte[][] all = new byte[vocabSize][];
        long total = 0;
        for (int t = 0; t < vocabSize; t++) {
            byte[] b = tokenizer.tokenBytes(t);
            all[t] = b == null ? new byte[0] : b;
            total += all[t].length;
        }
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("vocabulary has " + total + " bytes");
        bytes = new byte[(int) total];
        for (int t = 0, pos = 0; t < vocabSize; t++) {
            offset[t] = pos;
            System.arraycopy(all[t], 0, bytes, pos, all[t].length);
            pos += all[t].length;
            offset[t + 1] = pos;
        }
        isEos = new boolean[vocabSize];
        eosIds = Arrays.stream(tokenizer.eosIds()).filter(id -> id >= 0 && id < vocabSize).distinct().toArray();
        if (eosIds.length == 0) throw new IllegalArgumentException("tokenizer has no EOS token id; constrained decoding needs one to end a match");
        for (int id : eosIds) isEos[id] = true;
        inTrie = new boolean[vocabSize];
        for (int t = 0; t < vocabSize; t++) inTrie[t] = !isEos[t] && !tokenizer.isSpecial(t) && all[t].length > 0;
        boolean[] isShort = new boolean[vocabSize], isLong = new boolean[vocabSize];
        for (int t = 0; t < vocabSize; t++) {
            isShort[t] = inTrie[t] && all[t].length <= SHORT_TOKEN_BYTES;
            isLong[t] = inTrie[t] && all[t].length > SHORT_TOKEN_BYTES;
        }
        shortTrie = VocabTrie.build(bytes, offset, isShort);
        longTrie = VocabTrie.build(bytes, offset, isLong);
    }

    public int vocabSize() { return vocabSize; }

    /** Words of a mask row: {@code ceil(vocabSize / 64)}. */
    public int maskWords() { return (vocabSize + 63) >>> 6; }

    public boolean isEos(int id) { return id >= 0 && id < vocabSize && isEos[id]; }

    public int[] eosIds() { return eosIds.clone(); }

    /** True if the token can be part of constrained output (plain text with at least one byte). */
    public boolean isText(int id) { return id >= 0 && id < vocabSize && inTrie[id]; }

    /** Flat token bytes; token t is {@code [tokenStart(t), tokenStart(t + 1))}. Shared, do not modify. */
    public byte[] bytes() { return bytes; }

    public int tokenStart(int id) { return offset[id]; }

    public int tokenEnd(int id) { return offset[id + 1]; }

    VocabTrie shortTrie() { return shortTrie; }

    VocabTrie longTrie() { return longTrie; }

    int[] eosArray() { return eosIds; }
}
