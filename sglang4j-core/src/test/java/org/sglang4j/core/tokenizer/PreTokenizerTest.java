package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The hand-written scanners produce exactly the pieces java.util.regex produces for the same regex (the regex
 * text is the one Hugging Face tokenizer.json files carry), on random text rich in the cases that differ between
 * alternatives: contractions, whitespace runs before words, line breaks, digits, punctuation runs.
 */
class PreTokenizerTest {

    @Provide
    Arbitrary<String> texts() { return UnicodeTexts.textWithLoneSurrogates(); }

    @Property(tries = 2000)
    void gpt2ScannerEqualsRegex(@ForAll("texts") String s) {
        assertThat(pieces(new Gpt2Split(), s)).isEqualTo(pieces(RegexSplit.of(PreTokenizer.GPT2), s));
    }

    @Property(tries = 2000)
    void llama3ScannerEqualsRegex(@ForAll("texts") String s) {
        assertThat(pieces(new Llama3Split(3), s)).isEqualTo(pieces(RegexSplit.of(PreTokenizer.LLAMA3), s));
    }

    @Property(tries = 2000)
    void qwen2ScannerEqualsRegex(@ForAll("texts") String s) {
        assertThat(pieces(new Llama3Split(1), s)).isEqualTo(pieces(RegexSplit.of(PreTokenizer.QWEN2), s));
    }

    @Test
    void llama3PiecesOfAKnownSentence() {
        // Worked out by hand from the regex: contraction, optional non-letter prefix, digit groups, line breaks.
        assertThat(pieces(new Llama3Split(3), "I'VE 12345 apples!!\n\n  ok"))
                .containsExactly("I", "'VE", " ", "123", "45", " apples", "!!\n\n", " ", " ok");
        assertThat(pieces(new Llama3Split(1), "x 42"))
                .containsExactly("x", " ", "4", "2");
        assertThat(pieces(new Gpt2Split(), "  Hello\tworld  "))
                .containsExactly(" ", " Hello", "\t", "world", "  ");
    }

    @Test
    void unknownPreTokenizerNameIsRejected() {
        assertThatThrownBy(() -> PreTokenizer.forGgufName("no-such-model"))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("no-such-model");
    }

    static List<String> pieces(PreTokenizer pre, String s) {
        List<String> out = new ArrayList<>();
        pre.split(s, 0, s.length(), (a, b) -> out.add(s.substring(a, b)));
        return out;
    }
}
