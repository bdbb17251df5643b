package org.sglang4j.core.tokenizer;

/**
 * Turns a stretch of plain text (no added tokens in it) into ids: the part of a tokenizer that differs between
 * vocabulary families. {@link VocabTokenizer} does everything around it (added tokens, BOS/EOS, decoding).
 */
sealed interface TokenizerModel permits ByteLevelBpe, SentencePieceBpe, WordPiece {

    /**
     * Appends the ids of {@code text[start, end)} to {@code out}. Stretches are separated by added tokens;
     * {@code firstSegment} says the stretch starts the input (SentencePiece's dummy-prefix rules differ on it).
     */
    void encode(String text, int start, int end, boolean firstSegment, IdBuffer out, EncodeScratch scratch);

    /** True when decoding drops one leading space (the SentencePiece dummy prefix). */
    boolean stripsLeadingSpace();
}
