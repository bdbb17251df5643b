package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IncrementalDetokenizerTest {
    static VocabTokenizer qwen() { return VocabTestCases.tokenizer("qwen2-rebuilt"); }

    static VocabTokenizer spm() { return VocabTestCases.tokenizer("llama-spm"); }

    @Provide
    Arbitrary<String> texts() { return UnicodeTexts.text(); }

    /** Streaming the tokens of any text gives back that text, and no delta ever holds a broken character. */
    @Property(tries = 500)
    void deltasConcatenateToTheTextAndAreAlwaysWellFormed(@ForAll("texts") String s) {
        for (VocabTokenizer tok : List.of(qwen(), spm())) {
            int[] ids = tok.encode(s, false, false);
            // decode() drops SentencePiece's dummy-prefix space; the streaming option that does the same:
            var o = new IncrementalDetokenizer.Options(true, false, List.of(), false, tok.stripsLeadingSpace());
            IncrementalDetokenizer d = new IncrementalDetokenizer(tok, o);
            List<String> deltas = new ArrayList<>();
            for (int id : ids) deltas.add(d.add(id));
            deltas.add(d.finish());
            String expected = tok.decode(ids, true);
            assertThat(String.join("", deltas)).isEqualTo(expected);
            for (String delta : deltas) {
                assertThat(delta).doesNotContain("\uFFFD");
                assertThat(isWellFormed(delta)).as("delta %s", delta).isTrue();
            }
        }
    }

    /** A stop string anywhere in the text, spanning any tokens, ends the output exactly before (or after) it. */
    @Property(tries = 500)
    void stopStringsSpanningTokensTrimTheOutput(@ForAll("texts") String s, @ForAll @IntRange(max = 1000) int a,
                                                @ForAll @IntRange(min = 1, max = 8) int len, @ForAll boolean noTrim) {
        VocabTokenizer tok = qwen();
        String text = tok.decode(tok.encode(s, false, false), true);
        net.jqwik.api.Assume.that(!text.isEmpty());
        int start = a % text.length();
        if (Character.isLowSurrogate(text.charAt(start))) start--;
        int end = Math.min(text.length(), start + len);
        if (end < text.length() && Character.isLowSurrogate(text.charAt(end))) end++;
        String stop = text.substring(start, end);
        int at = text.indexOf(stop);

        IncrementalDetokenizer d = new IncrementalDetokenizer(tok, opts().withStop(List.of("\u0001never", stop))
                .withNoStopTrim(noTrim));
        StringBuilder out = new StringBuilder();
        for (int id : tok.encode(s, false, false)) out.append(d.add(id));
        out.append(d.finish());
        assertThat(out.toString()).isEqualTo(text.substring(0, noTrim ? at + stop.length() : at));
        assertThat(d.stopped()).isTrue();
        assertThat(d.matchedStop()).isEqualTo(stop);
    }

    @Test
    void textThatMayStartAStopStringIsHeldBackUntilDecided() {
        VocabTokenizer tok = qwen();
        IncrementalDetokenizer d = new IncrementalDetokenizer(tok, opts().withStop(List.of("</answer>")));
        assertThat(feed(d, tok, "42 </ans")).isEqualTo("42 ");
        assertThat(feed(d, tok, "wer> ignored")).isEmpty();
        assertThat(d.stopped()).isTrue();
        assertThat(d.add(tok.encode("more", false, false)[0])).isEmpty();

        IncrementalDetokenizer e = new IncrementalDetokenizer(tok, opts().withStop(List.of("</answer>")));
        assertThat(feed(e, tok, "x </ans")).isEqualTo("x ");
        assertThat(feed(e, tok, "ible")).isEqualTo("</ansible");
        assertThat(e.finish()).isEmpty();
        assertThat(e.stopped()).isFalse();
    }

    @Test
    void aCharacterSplitAcrossByteTokensIsEmittedWhole() {
        VocabTokenizer tok = qwen();
        for (String ch : List.of("𪚥", "🫠", "龘", "ꙮ", "😶\u200d🌫️")) {
            int[] ids = tok.encode(ch, false, false);
            assertThat(ids.length).as(ch).isGreaterThan(1); // Qwen spells these with partial-character tokens
            IncrementalDetokenizer d = new IncrementalDetokenizer(tok, opts());
            String first = d.add(ids[0]);
            int firstChar = new String(ch.codePoints().limit(1).toArray(), 0, 1).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (tok.tokenBytes(ids[0]).length < firstChar) assertThat(first).as(ch).isEmpty();
            StringBuilder out = new StringBuilder(first);
            for (int i = 1; i < ids.length; i++) out.append(d.add(ids[i]));
            assertThat(out.append(d.finish()).toString()).isEqualTo(ch);
        }
        // SentencePiece byte fallback: <0xF0><0x9F><0xA6><0x99> for the llama emoji.
        VocabTokenizer spm = spm();
        int[] ids = spm.encode("🦙", false, false);
        IncrementalDetokenizer d = new IncrementalDetokenizer(spm, opts());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            String delta = d.add(ids[i]);
            if (i < ids.length - 1 && spm.vocabulary().type(ids[i]) == TokenType.BYTE) assertThat(delta).isIn("", " ");
            out.append(delta);
        }
        assertThat(out + d.finish()).isEqualTo(" 🦙");
    }

    @Test
    void unfinishedCharacterAtTheEndBecomesReplacementCharacter() {
        VocabTokenizer spm = spm();
        IncrementalDetokenizer d = new IncrementalDetokenizer(spm, opts());
        assertThat(d.add(spm.tokenId("<0xE4>"))).isEmpty();
        assertThat(d.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void specialTokensAreSkippedOrKeptWithSpaces() {
        VocabTokenizer tok = qwen();
        int[] ids = tok.encode("hi<|im_end|><|endoftext|>yo", false, true);
        assertThat(stream(tok, ids, opts())).isEqualTo("hiyo");
        var keep = new IncrementalDetokenizer.Options(false, false, List.of(), false, false);
        assertThat(stream(tok, ids, keep)).isEqualTo("hi<|im_end|><|endoftext|>yo");
        var spaced = new IncrementalDetokenizer.Options(false, true, List.of(), false, false);
        assertThat(stream(tok, ids, spaced)).isEqualTo("hi <|im_end|> <|endoftext|> yo");
        var stripped = new IncrementalDetokenizer.Options(true, false, List.of(), false, true);
        assertThat(stream(spm(), spm().encode("Hello world", true, false), stripped)).isEqualTo("Hello world");
    }

    @Test
    void worksWithAnyTokenizerThroughTokenBytes() {
        Tokenizer wrapped = new DelegatingTokenizer(qwen());
        int[] ids = qwen().encode("你好, 世界 🦙", false, false);
        assertThat(stream(wrapped, ids, opts())).isEqualTo("你好, 世界 🦙");
    }

    @Test
    void emptyStopStringIsRejected() {
        assertThatThrownBy(() -> opts().withStop(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop");
    }

    private static IncrementalDetokenizer.Options opts() { return IncrementalDetokenizer.Options.defaults(); }

    private static String feed(IncrementalDetokenizer d, Tokenizer tok, String text) {
        StringBuilder sb = new StringBuilder();
        for (int id : tok.encode(text, false, false)) sb.append(d.add(id));
        return sb.toString();
    }

    private static String stream(Tokenizer tok, int[] ids, IncrementalDetokenizer.Options o) {
        IncrementalDetokenizer d = new IncrementalDetokenizer(tok, o);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(d.add(id));
        return sb.append(d.finish()).toString();
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A Tokenizer that is not one of ours, as engine tests might write. */
    private record DelegatingTokenizer(Tokenizer t) implements Tokenizer {
        public int vocabSize() { return t.vocabSize(); }
        public int[] encode(String text, boolean addSpecial, boolean parseSpecial) { return t.encode(text, addSpecial, parseSpecial); }
        public byte[] tokenBytes(int id) { return t.tokenBytes(id); }
        public String decode(int[] ids, boolean skip) { return t.decode(ids, skip); }
        public boolean isSpecial(int id) { return t.isSpecial(id); }
        public int bosId() { return t.bosId(); }
        public int[] eosIds() { return t.eosIds(); }
        public String chatTemplate() { return t.chatTemplate(); }
    }
}
