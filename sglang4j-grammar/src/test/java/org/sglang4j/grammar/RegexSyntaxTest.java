package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.regex.RegexParser;

/**
 * Python-syntax patterns (as users send them to SGLang) against an equivalent java.util.regex pattern as the
 * independent reference: the DFA must accept exactly the strings Java's full match accepts, on random strings over
 * the pattern's characters and on strings sampled from the DFA itself.
 */
class RegexSyntaxTest {

    static Stream<Arguments> equivalents() {
        return Stream.of(
                // python pattern, java pattern (java.util.regex syntax, UNIX_LINES)
                Arguments.of("{\"name\": \"[a-z]+\", \"age\": \\d{1,3}}", "\\{\"name\": \"[a-z]+\", \"age\": \\d{1,3}\\}"),
                Arguments.of("\\{\"ok\":(true|false)\\}", "\\{\"ok\":(true|false)\\}"),
                Arguments.of("{\"order_id\": \"[A-Z]{2}[0-9]{6}\", \"action\": \"(track|cancel|refund)\"}",
                        "\\{\"order_id\": \"[A-Z]{2}[0-9]{6}\", \"action\": \"(track|cancel|refund)\"\\}"),
                Arguments.of("[A-Z]{2}[0-9]{6}", "[A-Z]{2}[0-9]{6}"),
                Arguments.of("(?:ab|cd)*e?", "(?:ab|cd)*e?"),
                Arguments.of("a{2,}b{,2}c{3}", "a{2,}b{0,2}c{3}"),
                Arguments.of("x{}", "x\\{\\}"),
                Arguments.of("a{1,2", "a\\{1,2"),
                Arguments.of("a{,}", "a*"),
                Arguments.of("{a}|}", "\\{a\\}|\\}"),
                Arguments.of("[^a-c]+", "[^a-c]+"),
                Arguments.of("[]a]+", "[\\]a]+"),
                Arguments.of("[a-]+[-b]", "[a\\-]+[\\-b]"),
                Arguments.of("\\u4e2d\\u6587+", "\\u4e2d\\u6587+"),
                Arguments.of("[\\u4e00-\\u9fa5]{2}", "[\\u4e00-\\u9fa5]{2}"),
                Arguments.of("订单(号|编号)?：\\d+", "订单(号|编号)?：\\d+"),
                Arguments.of("(?i)hello", "(?i)hello"),
                Arguments.of("(?i:ab)c", "(?i:ab)c"),
                Arguments.of("(?s).{3}", "(?s).{3}"),
                Arguments.of(".{2}", ".{2}"),
                Arguments.of("\\d+\\.\\d*", "\\d+\\.\\d*"),
                Arguments.of("\\w+@\\w+\\.com", "\\w+@\\w+\\.com"),
                Arguments.of("\\s*x\\S", "\\s*x\\S"),
                Arguments.of("(?u)\\w+", "[\\p{L}\\p{N}_]+"),
                Arguments.of("(?u)\\d\\D", "\\p{Nd}\\P{Nd}"),
                Arguments.of("(?x) a b # comment\n c", "(?x) a b # comment\n c"),
                Arguments.of("a|b|", "a|b|"),
                Arguments.of("(a|)+b", "(a|)+b"),
                Arguments.of("((a{2}){2}){2}", "a{8}"),
                Arguments.of("(a?){3}b", "a{0,3}b"),
                Arguments.of("\\x41\\101\\0", "\\x41\\x41\\x00"),
                Arguments.of("\\N{LATIN SMALL LETTER A}b", "ab"),
                Arguments.of("[\\d\\s]+", "[\\d\\s]+"),
                Arguments.of("[^\\W\\d]+", "[^\\W\\d]+"),
                Arguments.of("\\U0001F600+|中文", "\\x{1F600}+|中文"),
                Arguments.of("(?P<year>\\d{4})-(?P<m>\\d\\d)", "(?<year>\\d{4})-(?<m>\\d\\d)"),
                Arguments.of("^abc$", "abc"),
                Arguments.of("^yes$|^no$", "yes|no"),
                Arguments.of("\\Aab\\Z", "ab"),
                Arguments.of("a*?b+?c??", "a*b+c?"),
                Arguments.of("[\\]\\\\\\-]+", "[\\]\\\\\\-]+"),
                Arguments.of("\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$", "\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$"),
                Arguments.of("(?#comment)abc", "abc"),
                Arguments.of("[\\t\\n\\r\\f\\v\\a\\b]", "[\\t\\n\\r\\f\\x0B\\x07\\x08]"),
                Arguments.of("\"[^\"\\\\]*\"", "\"[^\"\\\\]*\""),
                Arguments.of("(yes|no|maybe) \\d{2}[-/]\\d{2}", "(yes|no|maybe) \\d{2}[-/]\\d{2}"),
                Arguments.of("<a&b>~#@", "<a&b>~#@"));
    }

    @ParameterizedTest
    @MethodSource("equivalents")
    void acceptsExactlyWhatJavaRegexMatches(String python, String java) {
        ByteDfa dfa = Dfas.of(python);
        Pattern reference = Pattern.compile(java, Pattern.UNIX_LINES);
        Random random = new Random(python.hashCode());
        int[] alphabet = alphabet(python);
        for (int i = 0; i < 3000; i++) {
            String s = randomString(random, alphabet, i % 12);
            assertThat(Dfas.accepts(dfa, s)).as("'%s' on '%s'", python, s).isEqualTo(reference.matcher(s).matches());
        }
        for (int i = 0; i < 300; i++) {
            byte[] b = Dfas.sample(dfa, random, 40);
            String s = new String(b, StandardCharsets.UTF_8);
            assertThat(s.getBytes(StandardCharsets.UTF_8)).as("sample is valid UTF-8").isEqualTo(b);
            assertThat(reference.matcher(s).matches()).as("'%s' sampled '%s'", python, s).isTrue();
            for (int k = 0; k < 6; k++) {
                String near = mutate(s, random, alphabet);
                assertThat(Dfas.accepts(dfa, near)).as("'%s' on near miss '%s'", python, near).isEqualTo(reference.matcher(near).matches());
            }
        }
    }

    /** One edit away from {@code s}: insert, delete or duplicate a character. */
    private static String mutate(String s, Random random, int[] alphabet) {
        int[] cps = s.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        int at = random.nextInt(cps.length + 1), kind = cps.length == 0 ? 0 : random.nextInt(3);
        for (int i = 0; i <= cps.length; i++) {
            if (i == at) {
                if (kind == 0) sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
                else if (kind == 2 && i < cps.length) sb.appendCodePoint(cps[i]);
            }
            if (i < cps.length && !(kind == 1 && i == at)) sb.appendCodePoint(cps[i]);
        }
        return sb.toString();
    }

    /** Characters of the pattern plus a few that often break things. */
    private static int[] alphabet(String pattern) {
        List<Integer> cps = new ArrayList<>();
        pattern.codePoints().distinct().forEach(cps::add);
        for (int extra : "aAbB09 _\n\t{}\"\\-.中😀é".codePoints().toArray()) if (!cps.contains(extra)) cps.add(extra);
        return cps.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String randomString(Random random, int[] alphabet, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        return sb.toString();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("(ab", "missing ), unterminated subpattern"),
                Arguments.of("ab)", "unbalanced parenthesis"),
                Arguments.of("[ab", "unterminated character set"),
                Arguments.of("*a", "nothing to repeat"),
                Arguments.of("{2}a", "nothing to repeat"),
                Arguments.of("a**", "multiple repeat"),
                Arguments.of("a{3,1}", "min repeat greater than max repeat"),
                Arguments.of("\\q", "bad escape \\q"),
                Arguments.of("(?=a)b", "lookahead"),
                Arguments.of("(?<=a)b", "lookbehind"),
                Arguments.of("(a)\\1", "backreferences"),
                Arguments.of("(?P<n>a)(?P=n)", "backreferences"),
                Arguments.of("\\bword", "word boundary"),
                Arguments.of("(?>a)", "atomic groups"),
                Arguments.of("a++", "possessive"),
                Arguments.of("[z-a]", "bad character range z-a"),
                Arguments.of("a{100001}", "above the supported maximum"),
                Arguments.of("x(?i)y", "global flags not at the start"),
                Arguments.of("a^b", "anchor ^"),
                Arguments.of("a$b", "anchor $"),
                Arguments.of("(?L)a", "flag 'L'"),
                Arguments.of("\\x4", "incomplete escape"),
                Arguments.of("\\N{NO SUCH CHARACTER}", "undefined character name"),
                Arguments.of("\ud800", "surrogate"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsWithPythonLikeMessage(String pattern, String message) {
        assertThatThrownBy(() -> RegexParser.parse(pattern)).isInstanceOf(GrammarException.class).hasMessageContaining(message);
    }

    @ParameterizedTest
    @MethodSource("equivalents")
    void printedTreeReadsBackToTheSameLanguage(String python, String java) {
        String printed = RegexParser.parse(python).toPattern();
        ByteDfa original = Dfas.of(python), reprinted = Dfas.of(printed);
        Pattern javaPrinted = Pattern.compile(printed, Pattern.UNIX_LINES);
        Random random = new Random(printed.hashCode());
        int[] alphabet = alphabet(python);
        for (int i = 0; i < 1000; i++) {
            String s = randomString(random, alphabet, i % 10);
            boolean expected = Dfas.accepts(original, s);
            assertThat(Dfas.accepts(reprinted, s)).as("%s reprinted as %s on '%s'", python, printed, s).isEqualTo(expected);
            assertThat(javaPrinted.matcher(s).matches()).as("java reading %s on '%s'", printed, s).isEqualTo(expected);
        }
    }
}
