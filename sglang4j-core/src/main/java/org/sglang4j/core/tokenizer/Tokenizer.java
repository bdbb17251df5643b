package org.sglang4j.core.tokenizer;

/**
 * Text ↔ token ids for one model vocabulary. Implementations are immutable and thread-safe.
 *
 * <p>Contract used by the rest of the system: {@link #tokenBytes(int)} is the exact byte sequence a token
 * contributes to decoded output (byte-level BPE tokens map back through the GPT-2 byte↔unicode table;
 * SentencePiece {@code ▁} becomes a space and {@code <0xNN>} one raw byte), so the grammar module can run every
 * token through a byte-level automaton and the detokenizer can assemble UTF-8 safely.
 */
public interface Tokenizer {

    /** Number of token ids (the model's vocabulary size, including added/special and padding tokens). */
    int vocabSize();

    /**
     * Encodes {@code text}. {@code addSpecial}: prepend BOS (and append EOS) where the model's tokenizer config
     * says so. {@code parseSpecial}: text of special tokens such as {@code <|im_end|>} becomes that token;
     * otherwise it is tokenized as plain text.
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** Raw bytes of a token as it appears in decoded output (see class comment). */
    byte[] tokenBytes(int id);

    /** Decodes ids to text; invalid UTF-8 is replaced by U+FFFD. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** True for control/special tokens (BOS, EOS, {@code <|im_start|>} …) that are not plain text. */
    boolean isSpecial(int id);

    /** BOS id, or -1 if the model has none. */
    int bosId();

    /** Token ids that end generation (e.g. both {@code <|im_end|>} and {@code <|endoftext|>} for Qwen). */
    int[] eosIds();

    /** The model's own chat template (Jinja source) if its files carry one, else null. */
    String chatTemplate();
}
