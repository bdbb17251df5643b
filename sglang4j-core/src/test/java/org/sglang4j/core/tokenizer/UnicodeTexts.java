package org.sglang4j.core.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random text for tokenizer properties, weighted toward what pre-tokenizers care about: ASCII words, contractions,
 * digits, every kind of whitespace (incl. non-ASCII White_Space and line breaks), punctuation, CJK, letters and
 * numbers outside the BMP, combining marks, emoji with ZWJ — plus any valid code point at all.
 */
final class UnicodeTexts {
    private UnicodeTexts() {}

    private static final String[] PIECES = {
            "a", "Z", "hello", " world", "'s", "'T", "'re", "'LL", "'d", "'", "''", "1", "23", "4567", "½", "Ⅻ", "٣",
            " ", "  ", "\t", "\n", "\r\n", "\n\n", "\r", "\u00A0", "\u3000", "\u2028", "\u0085", "\u1680", "\u000B",
            "!", "?!", "...", "(", "<|im_end|>", "#", "$", "+", "€", "—", "，", "。", "我想在", "工作", "ｆｕｌｌ",
            "é", "e\u0301", "Führer", "нещо", "កាន់តែ", "🦙", "😶\u200d🌫️", "✅", "𝐀𝐁", "𐐀", "\u200d", "\uFEFF",
    };

    /** Valid text: never a lone surrogate. */
    static Arbitrary<String> text() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(PIECES)),
                net.jqwik.api.Tuple.of(1, anyCodePoint()));
        return piece.list().ofMaxSize(24).map(l -> String.join("", l));
    }

    /** Any valid code point (surrogate range excluded). */
    static Arbitrary<String> anyCodePoint() {
        return Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .map(Character::toString);
    }

    /** Text that may also contain unpaired surrogates (what a Java string can hold but UTF-8 cannot). */
    static Arbitrary<String> textWithLoneSurrogates() {
        Arbitrary<String> lone = Arbitraries.chars().range('\uD800', '\uDFFF').map(String::valueOf);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, text()), net.jqwik.api.Tuple.of(1, lone))
                .list().ofMaxSize(4).map(l -> String.join("", l));
    }
}
