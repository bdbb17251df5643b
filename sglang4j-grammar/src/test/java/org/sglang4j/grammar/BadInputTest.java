package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sglang4j.core.sampling.Constraint;

/**
 * Bad input: each constraint fails with a {@link GrammarException} whose message says what is wrong, well within
 * the compile time limit (the JUnit timeout only catches hangs), and the compiler keeps working afterwards.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    static Stream<Arguments> badConstraints() {
        String hugeSchema = "{\"type\":\"object\",\"properties\":{" + IntStream.range(0, 400)
                .mapToObj(i -> "\"p" + i + "\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":500},\"maxItems\":100}")
                .collect(Collectors.joining(",")) + "}}";
        return Stream.of(
                // invalid regex
                Arguments.of(new Constraint.Regex("(ab"), "missing ), unterminated subpattern"),
                Arguments.of(new Constraint.Regex("[a-"), "unterminated character set"),
                Arguments.of(new Constraint.Regex("(?<=a)b"), "lookbehind"),
                // pathological regexes
                Arguments.of(new Constraint.Regex("[ab]*a[ab]{40}"), "exceeds 100000 states"),
                Arguments.of(new Constraint.Regex("(x{1000}){1000}"), "grammar too complex"),
                Arguments.of(new Constraint.Regex("(a|aa)*b{100000}"), "grammar too complex"),
                Arguments.of(new Constraint.Regex("(((a|b){100}){100}){100}"), "grammar too complex"),
                // empty alternation / nothing to generate
                Arguments.of(new Constraint.Choices(List.of()), "at least one string"),
                Arguments.of(new Constraint.Choices(List.of("", "")), "only the empty string"),
                Arguments.of(new Constraint.Regex("(|)"), "only the empty string"),
                Arguments.of(new Constraint.Regex(""), "only the empty string"),
                Arguments.of(new Constraint.Regex("[^\\x00-\\U0010FFFF]"), "matches no string"),
                // invalid schemas
                Arguments.of(new Constraint.JsonSchema("{\"type\": \"object\","), "not valid JSON"),
                Arguments.of(new Constraint.JsonSchema("{\"type\": 5}"), "'type' must be a string"),
                Arguments.of(new Constraint.JsonSchema("{\"type\": \"objekt\"}"), "unknown type 'objekt'"),
                Arguments.of(new Constraint.JsonSchema("{\"type\": \"array\", \"minItems\": -1}"), "'minItems' must be a non-negative integer"),
                Arguments.of(new Constraint.JsonSchema("{\"type\": \"array\", \"minItems\": 3, \"maxItems\": 1}"), "'maxItems' 1 is below 'minItems' 3"),
                Arguments.of(new Constraint.JsonSchema("{\"$ref\": \"#/$defs/missing\"}"), "does not resolve"),
                Arguments.of(new Constraint.JsonSchema("{\"$ref\": \"https://example.com/s.json\"}"), "only local '$ref'"),
                Arguments.of(new Constraint.JsonSchema("{\"enum\": []}"), "'enum' must be a non-empty array"),
                Arguments.of(new Constraint.JsonSchema("[1, 2]"), "must be an object or a boolean"),
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"string\",\"pattern\":\"(\"}"), "'pattern' at #"),
                Arguments.of(new Constraint.JsonSchema("false"), "matches no string"),
                Arguments.of(new Constraint.JsonSchema("{\"$defs\":{\"n\":{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#/$defs/n\"}},"
                        + "\"required\":[\"next\"]}},\"$ref\":\"#/$defs/n\"}"), "matches no string"),
                // unsupported keywords and formats
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"array\",\"uniqueItems\":true}"), "unsupported JSON Schema keyword 'uniqueItems' at #"),
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\",\"patternProperties\":{}}}}"),
                        "unsupported JSON Schema keyword 'patternProperties' at #/properties/a"),
                Arguments.of(new Constraint.JsonSchema("{\"not\":{\"type\":\"string\"}}"), "unsupported JSON Schema keyword 'not'"),
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"number\",\"multipleOf\":2}"), "unsupported JSON Schema keyword 'multipleOf'"),
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"string\",\"format\":\"uri\"}"), "unsupported string format 'uri'"),
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"number\",\"minimum\":0.5}"), "fractional part (0.5)"),
                Arguments.of(new Constraint.JsonSchema("{\"type\":\"string\",\"anyOf\":[{\"maxLength\":2}]}"), "'anyOf' together with 'type'"),
                // a huge schema
                Arguments.of(new Constraint.JsonSchema(hugeSchema), "grammar too complex"),
                Arguments.of(new Constraint.Ebnf("root ::= \"a\""), "EBNF grammars are not supported"));
    }

    @ParameterizedTest
    @MethodSource("badConstraints")
    void failsWithAMessageThatSaysWhatIsWrong(Constraint c, String message) {
        GrammarCompiler compiler = Vocabs.compiler(Vocabs.QWEN2);
        assertThatThrownBy(() -> compiler.compile(c, LIMIT)).isInstanceOf(GrammarException.class).hasMessageContaining(message);
        // cached as invalid: the same failure again, at once
        assertThatThrownBy(() -> compiler.compile(c, LIMIT)).isInstanceOf(GrammarException.class).hasMessageContaining(message);
        // and the compiler still serves other requests
        assertThat(compiler.compile(new Constraint.Regex("ok|fine"), LIMIT).newMatcher().isAccepting()).isFalse();
    }

    @Test
    void aTimeLimitReallyStopsTheWork() {
        GrammarCompiler compiler = new GrammarCompiler(Vocabs.qwen2(), 8);
        // Legitimate but heavy: about 20,000 DFA states, far more than a millisecond of work.
        Constraint heavy = new Constraint.Regex("[a-z]{0,200}[0-9]{0,100}");
        assertThatThrownBy(() -> compiler.compile(heavy, Duration.ofMillis(1))).isInstanceOf(GrammarException.class)
                .hasMessageContaining("exceeded its time limit of 1 ms");
    }

    @Test
    void backtrackingPathologyIsHarmlessForAutomata() {
        // (a|aa)*b{1000} is catastrophic for backtracking matchers only; as a DFA it is ~1000 states.
        CompiledGrammar g = Vocabs.compiler(Vocabs.QWEN2).compile(new Constraint.Regex("(a|aa)*b{1000}"), LIMIT);
        assertThat(g.numStates()).isBetween(1000, 1010);
        RandomWalk.Result r = RandomWalk.run(g, Vocabs.qwen2(), new Random(1), 2000, 0.5, 0.0);
        assertThat(r.finished()).isTrue();
        assertThat(r.text()).matches("a*b{1000}");
    }
}
