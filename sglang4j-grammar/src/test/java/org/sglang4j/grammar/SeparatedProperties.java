package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.sglang4j.grammar.regex.Regex;
import org.sglang4j.grammar.regex.RegexParser;

/**
 * The linear ε-wired construction of {@link Regex.Separated} (JSON object members) accepts exactly the language
 * of its plain regex expansion, for random items, separators and required flags.
 */
class SeparatedProperties {
    private static final String[] ITEMS = {"a", "b+", "c?d", "[xy]{1,2}", "中", "\"k\": ?[0-9]+", "(e|ff)*g"};
    private static final String[] SEPARATORS = {",", ", ?", " *; *", "(?:-|--)"};

    @Property(tries = 300)
    void sharedConstructionEqualsTheExpandedRegex(@ForAll long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(7);
        List<Regex> items = new ArrayList<>();
        List<Boolean> required = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(RegexParser.parse(ITEMS[r.nextInt(ITEMS.length)]));
            required.add(r.nextInt(3) == 0);
        }
        Regex.Separated sep = new Regex.Separated(items, required, RegexParser.parse(SEPARATORS[r.nextInt(SEPARATORS.length)]));
        // Wrapped in brackets so that an all-optional list (which may be empty) still matches something non-empty.
        Regex shared = Regex.seq(Regex.literal("{"), sep, Regex.literal("}"));
        Regex plain = Regex.seq(Regex.literal("{"), sep.expanded(), Regex.literal("}"));
        assertThat(Dfas.equivalent(Dfas.of(shared), Dfas.of(plain))).as("%s", plain.toPattern()).isTrue();
    }
}
