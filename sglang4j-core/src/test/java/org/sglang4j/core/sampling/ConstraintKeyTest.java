package org.sglang4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiled grammars are cached by {@link Constraint#key()}: different constraints must never share a key. */
class ConstraintKeyTest {

    @Test
    void differentChoiceListsHaveDifferentKeys() {
        List<List<String>> lists = List.of(List.of(), List.of(""), List.of("", ""), List.of("a\u0000b"),
                List.of("a", "b"), List.of("ab"), List.of("1:a"), List.of("a", ""), List.of("", "a"));
        assertThat(lists.stream().map(l -> new Constraint.Choices(l).key()).distinct()).hasSize(lists.size());
    }

    @Test
    void kindsNeverCollide() {
        assertThat(new Constraint.Regex("x").key()).isNotEqualTo(new Constraint.JsonSchema("x").key())
                .isNotEqualTo(new Constraint.Ebnf("x").key());
    }
}
