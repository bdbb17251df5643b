package org.sglang4j.grammar.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import org.junit.jupiter.api.Test;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.fsm.NfaBuilder;
import org.sglang4j.grammar.fsm.SubsetConstruction;

/** The date format against java.time over four centuries of candidate dates, leap years included. */
class StringFormatsTest {
    private static final DateTimeFormatter STRICT = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    @Test
    void dateAcceptsExactlyTheDaysThatExist() {
        ByteDfa dfa = SubsetConstruction.minimalDfa(NfaBuilder.build(StringFormats.of("date", "#"), Deadline.none(), 1_000_000),
                Deadline.none(), 1_000_000);
        int checked = 0;
        for (int y = 1896; y <= 2304; y += (y < 1905 || y > 2095 && y < 2105 || y > 2295) ? 1 : 7) {
            for (int m = 0; m <= 13; m++) {
                for (int d = 0; d <= 32; d++) {
                    String s = String.format("%04d-%02d-%02d", y, m, d);
                    assertThat(accepts(dfa, s)).as(s).isEqualTo(exists(s));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(20_000);
        assertThat(accepts(dfa, "2000-02-29")).isTrue();
        assertThat(accepts(dfa, "1900-02-29")).isFalse();
    }

    private static boolean exists(String s) {
        try {
            LocalDate.parse(s, STRICT);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean accepts(ByteDfa dfa, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        int st = dfa.run(0, b, 0, b.length);
        return st >= 0 && dfa.isAccepting(st);
    }
}
