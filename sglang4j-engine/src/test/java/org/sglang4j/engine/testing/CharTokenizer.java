package org.sglang4j.engine.testing;

import java.nio.charset.StandardCharsets;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * A tiny tokenizer for engine tests: token 0 is {@code <unk>}, 1 BOS, 2 EOS (special, decode to nothing when
 * skipped); every other id {@code i} is the single character {@code ALPHABET[i % ALPHABET.length()]}.
 */
public final class CharTokenizer implements Tokenizer {
    public static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz .,!?\n";
    private final int vocab;

    public CharTokenizer(int vocab) {
        this.vocab = vocab;
    }

    @Override public int vocabSize() { return vocab; }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        int[] ids = new int[text.length() + (addSpecial ? 1 : 0)];
        int k = 0;
        if (addSpecial) ids[k++] = 1;
        for (char c : text.toCharArray()) {
            int i = ALPHABET.indexOf(c);
            if (i < 0) throw new IllegalArgumentException("char " + c + " not in the test alphabet");
            ids[k++] = i + 3;
        }
        return ids;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return piece(id).getBytes(StandardCharsets.UTF_8);
    }

    public static String piece(int id) {
        return switch (id) {
            case 0 -> "<unk>";
            case 1 -> "<s>";
            case 2 -> "</s>";
            default -> String.valueOf(ALPHABET.charAt((id - 3) % ALPHABET.length()));
        };
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) if (!(skipSpecialTokens && isSpecial(id))) sb.append(piece(id));
        return sb.toString();
    }

    @Override public boolean isSpecial(int id) { return id < 3; }
    @Override public int bosId() { return 1; }
    @Override public int[] eosIds() { return new int[] {2}; }
    @Override public String chatTemplate() { return null; }
}
