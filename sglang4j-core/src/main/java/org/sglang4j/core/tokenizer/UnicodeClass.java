package org.sglang4j.core.tokenizer;

/**
 * The character classes the pre-tokenizer regexes use, with the meaning Oniguruma (Hugging Face tokenizers) gives
 * them: {@code \p{L}} letters (Lu Ll Lt Lm Lo), {@code \p{N}} numbers (Nd Nl No), {@code \s} the Unicode
 * White_Space property. ASCII is answered from a table because it is most of the text.
 */
final class UnicodeClass {
    private UnicodeClass() {}

    static final byte OTHER = 0, LETTER = 1, NUMBER = 2, SPACE = 3;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = slow(c);
    }

    /** One of {@link #OTHER}, {@link #LETTER}, {@link #NUMBER}, {@link #SPACE}. */
    static byte of(int cp) {
        return cp < 128 ? ASCII[cp] : slow(cp);
    }

    static boolean isLetter(int cp) { return of(cp) == LETTER; }

    static boolean isNumber(int cp) { return of(cp) == NUMBER; }

    static boolean isSpace(int cp) { return of(cp) == SPACE; }

    private static byte slow(int cp) {
        if (isWhiteSpaceProperty(cp)) return SPACE;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /** The Unicode White_Space property (what {@code \s} matches in Oniguruma and in Java with UNICODE_CHARACTER_CLASS). */
    static boolean isWhiteSpaceProperty(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }
}
