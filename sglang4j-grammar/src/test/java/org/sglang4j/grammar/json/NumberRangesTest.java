package org.sglang4j.grammar.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.fsm.NfaBuilder;
import org.sglang4j.grammar.fsm.SubsetConstruction;
import org.sglang4j.grammar.regex.Regex;

/**
 * Bounded numbers against arithmetic: every integer (and a grid of decimals) near the bounds is accepted exactly
 * when it lies in the range, and only in canonical JSON spelling.
 */
class NumberRangesTest {

    @Property(tries = 200)
    void integersInRangeAreAcceptedExactly(@ForAll @IntRange(min = -400, max = 400) int a, @ForAll @IntRange(min = -400, max = 400) int b,
                                           @ForAll boolean openLow, @ForAll boolean openHigh) {
        Long lo = openLow ? null : (long) Math.min(a, b), hi = openHigh ? null : (long) Math.max(a, b);
        ByteDfa dfa = dfa(NumberRanges.integers(lo, hi));
        for (int x = -1100; x <= 1100; x++) {
            boolean in = (lo == null || x >= lo) && (hi == null || x <= hi);
            assertThat(accepts(dfa, Integer.toString(x))).as("%d in [%s, %s]", x, lo, hi).isEqualTo(in);
        }
        for (String odd : List.of("-0", "007", "+5", "", "-", "1.0", "01")) assertThat(accepts(dfa, odd)).as(odd).isFalse();
        if (hi == null) assertThat(accepts(dfa, "123456789012345678901234567890")).isEqualTo(lo == null || lo <= 1000);
    }

    @Property(tries = 200)
    void decimalsInRangeAreAcceptedExactly(@ForAll @IntRange(min = -12, max = 12) int a, @ForAll @IntRange(min = -12, max = 12) int b,
                                           @ForAll boolean openLow, @ForAll boolean openHigh, @ForAll boolean exLow, @ForAll boolean exHigh) {
        Long lo = openLow ? null : (long) Math.min(a, b), hi = openHigh ? null : (long) Math.max(a, b);
        if (lo != null && hi != null && lo.equals(hi) && (exLow || exHigh)) { // an empty range
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> dfa(NumberRanges.decimals(lo, exLow, hi, exHigh)))
                    .hasMessageContaining("matches no string");
            return;
        }
        ByteDfa dfa = dfa(NumberRanges.decimals(lo, exLow, hi, exHigh));
        for (String s : samples()) {
            BigDecimal v = new BigDecimal(s);
            boolean in = (lo == null || (exLow ? v.compareTo(BigDecimal.valueOf(lo)) > 0 : v.compareTo(BigDecimal.valueOf(lo)) >= 0))
                    && (hi == null || (exHigh ? v.compareTo(BigDecimal.valueOf(hi)) < 0 : v.compareTo(BigDecimal.valueOf(hi)) <= 0));
            boolean canonical = !s.startsWith("-0") || v.signum() != 0; // "-0.0" is never generated
            if (canonical) assertThat(accepts(dfa, s)).as("%s in %s%s, %s%s", s, exLow ? "(" : "[", lo, hi, exHigh ? ")" : "]").isEqualTo(in);
        }
    }

    private static List<String> samples() {
        List<String> out = new ArrayList<>();
        for (int i = -15; i <= 15; i++) {
            out.add(Integer.toString(i));
            for (String f : List.of(".0", ".00", ".5", ".05", ".999", ".001")) {
                out.add(i + f);
                if (i == 0) out.add("-0" + f);
            }
        }
        return out;
    }

    private static ByteDfa dfa(Regex r) {
        return SubsetConstruction.minimalDfa(NfaBuilder.build(r, Deadline.none(), 1_000_000), Deadline.none(), 1_000_000);
    }

    private static boolean accepts(ByteDfa dfa, String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int st = dfa.run(0, b, 0, b.length);
        return st >= 0 && dfa.isAccepting(st);
    }
}
