package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * Chinese characters split across tokens: byte-level BPE (Qwen2, Llama 3) and SentencePiece byte fallback (Llama)
 * have one-byte tokens for every byte, so a character can be written as three tokens that are not valid UTF-8 on
 * their own. The byte-level DFA must allow them exactly where they continue the text.
 */
class PartialUtf8TokensTest {
    private static final String TEXT = "订单号";
    private static final byte[] BYTES = TEXT.getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {Vocabs.QWEN2, Vocabs.LLAMA_SPM, Vocabs.LLAMA_BPE})
    void oneByteTokensSpellAChineseLiteral(String vocab) {
        Tokenizer tok = Vocabs.tokenizer(vocab);
        CompiledGrammar g = Vocabs.compiler(vocab).compile(new Constraint.Regex(TEXT), Duration.ofSeconds(10));
        GrammarMatcher m = g.newMatcher();
        long[] mask = new long[g.maskWords()];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[][] all = new byte[tok.vocabSize()][];
        boolean[] special = new boolean[all.length];
        for (int t = 0; t < all.length; t++) {
            all[t] = tok.tokenBytes(t);
            special[t] = tok.isSpecial(t) || isEos(tok, t);
        }
        int tokens = 0;
        while (!m.isTerminated()) {
            m.fillNextTokenMask(mask);
            int pos = out.size();
            int shortest = -1;
            for (int t = 0; t < tok.vocabSize(); t++) {
                byte[] b = all[t];
                boolean allowed = (mask[t >>> 6] & (1L << t)) != 0;
                if (b.length == 1 && !special[t]) {
                    // exactly the single-byte token that continues the text is allowed
                    assertThat(allowed).as("byte token %02x at byte %d", b[0] & 0xFF, pos).isEqualTo(pos < BYTES.length && b[0] == BYTES[pos]);
                }
                if (allowed && !special[t] && (shortest < 0 || b.length < all[shortest].length)) shortest = t;
            }
            if (shortest < 0) break;
            assertThat(m.acceptToken(shortest)).isTrue();
            out.writeBytes(tok.tokenBytes(shortest));
            tokens++;
            assertThat(m.isAccepting()).isEqualTo(out.size() == BYTES.length);
        }
        assertThat(out.toByteArray()).isEqualTo(BYTES);
        assertThat(tokens).as("one token per byte").isEqualTo(BYTES.length);
        assertThat(m.isTerminated()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {Vocabs.QWEN2, Vocabs.LLAMA_BPE})
    void aCharacterCutAfterItsFirstByteOnlyContinuesWithItsOwnBytes(String vocab) {
        Tokenizer tok = Vocabs.tokenizer(vocab);
        CompiledGrammar g = Vocabs.compiler(vocab).compile(new Constraint.Regex("[一-龥]{1,4}"), Duration.ofSeconds(10));
        GrammarMatcher m = g.newMatcher();
        int lead = singleByteToken(tok, 0xE8);
        assertThat(m.acceptToken(lead)).isTrue();
        assertThat(m.isAccepting()).isFalse();
        long[] mask = new long[g.maskWords()];
        m.fillNextTokenMask(mask);
        int allowed = 0;
        for (int t = 0; t < tok.vocabSize(); t++) {
            if ((mask[t >>> 6] & (1L << t)) == 0) continue;
            allowed++;
            byte[] b = tok.tokenBytes(t);
            assertThat(b[0] & 0xC0).as("token %d starts with a continuation byte", t).isEqualTo(0x80);
            // after the continuation bytes that finish the character, only further CJK characters may follow
            byte[] text = new byte[b.length + 1];
            text[0] = (byte) 0xE8;
            System.arraycopy(b, 0, text, 1, b.length);
            int complete = Checks.completeLength(text);
            String s = Checks.utf8(Arrays.copyOf(text, complete));
            assertThat(s).matches("[一-龥]*");
        }
        assertThat(allowed).as("continuations of U+8xxx exist in the vocabulary").isGreaterThan(1);
        assertThat(m.acceptToken(tok.encode("a", false, false)[0])).as("ASCII cannot follow a lead byte").isFalse();
    }

    private static boolean isEos(Tokenizer tok, int t) {
        return Arrays.stream(tok.eosIds()).anyMatch(e -> e == t);
    }

    private static int singleByteToken(Tokenizer tok, int b) {
        for (int t = 0; t < tok.vocabSize(); t++) {
            byte[] x = tok.tokenBytes(t);
            if (x.length == 1 && (x[0] & 0xFF) == b && !tok.isSpecial(t)) return t;
        }
        throw new AssertionError("no single-byte token for " + b);
    }
}
