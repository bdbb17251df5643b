package org.sglang4j.core.tokenizer;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A {@link Tokenizer} over one {@link Vocabulary}: added tokens are found first (never split), the stretches
 * between them go through the vocabulary's {@link TokenizerModel}, BOS/EOS are added as the file says, and
 * decoding concatenates each token's exact bytes. Immutable and thread-safe; each call has its own scratch.
 */
public final class VocabTokenizer implements Tokenizer {
    private final Vocabulary vocab;
    private final TokenizerModel model;
    private final SpecialTokens specials;
    private final AddedTokenMatcher addedTokens;
    private final UnaryOperator<String> normalizer; // HF normalizer (NFC …) per stretch of text, or null

    VocabTokenizer(Vocabulary vocab, TokenizerModel model, SpecialTokens specials, List<AddedToken> added) {
        this(vocab, model, specials, added, null);
    }

    VocabTokenizer(Vocabulary vocab, TokenizerModel model, SpecialTokens specials, List<AddedToken> added,
                   UnaryOperator<String> normalizer) {
        this.vocab = vocab;
        this.model = model;
        this.specials = specials;
        this.normalizer = normalizer;
        this.addedTokens = new AddedTokenMatcher(added);
        for (AddedToken t : added) checkId(t.id(), "added token \"" + t.content() + "\"");
        checkId(specials.bos(), "BOS");
        for (int id : specials.eosIds()) checkId(id, "EOS");
    }

    private void checkId(int id, String what) {
        if (id >= vocab.size()) {
            throw new IllegalArgumentException(what + " id " + id + " is outside the vocabulary of " + vocab.size());
        }
    }

    public Vocabulary vocabulary() { return vocab; }

    public SpecialTokens specialTokens() { return specials; }

    TokenizerModel model() { return model; }

    @Override
    public int vocabSize() { return vocab.size(); }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        if (text == null) throw new IllegalArgumentException("text to encode must not be null");
        IdBuffer out = new IdBuffer(text.length() / 3 + 4);
        if (addSpecial && specials.addBos()) out.add(specials.bos());
        EncodeScratch scratch = new EncodeScratch();
        addedTokens.split(text, parseSpecial, new AddedTokenMatcher.Sink() {
            @Override
            public void text(int start, int end) {
                if (normalizer == null) {
                    model.encode(text, start, end, start == 0, out, scratch);
                } else {
                    String normalized = normalizer.apply(text.substring(start, end));
                    model.encode(normalized, 0, normalized.length(), start == 0, out, scratch);
                }
            }

            @Override
            public void token(int id) {
                out.add(id);
            }
        });
        if (addSpecial && specials.addEos()) out.add(specials.eos());
        return out.toArray();
    }

    @Override
    public byte[] tokenBytes(int id) { return vocab.bytes(id); }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        if (ids == null) throw new IllegalArgumentException("token ids to decode must not be null");
        int total = 0;
        for (int id : ids) total += vocab.byteLength(id);
        byte[] buf = new byte[total];
        int n = 0;
        for (int id : ids) {
            if (skipSpecialTokens && vocab.isSpecial(id)) continue;
            n += vocab.copyBytes(id, buf, n);
        }
        int from = model.stripsLeadingSpace() && n > 0 && buf[0] == ' ' ? 1 : 0;
        return Utf8.decode(buf, from, n - from);
    }

    /** True when decoding the first token of a text drops its leading space (SentencePiece dummy prefix). */
    public boolean stripsLeadingSpace() { return model.stripsLeadingSpace(); }

    @Override
    public boolean isSpecial(int id) { return vocab.isSpecial(id); }

    @Override
    public int bosId() { return specials.bos(); }

    @Override
    public int[] eosIds() { return specials.eosIds(); }

    @Override
    public String chatTemplate() { return specials.chatTemplate(); }

    /** The token text for an id, as the file stores it. */
    public String tokenText(int id) { return vocab.text(id); }

    /** The id of a token given its stored text (e.g. {@code "<|im_end|>"}), or -1. */
    public int tokenId(String text) { return vocab.id(text); }
}
