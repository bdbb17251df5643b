package org.sglang4j.grammar.json;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.grammar.regex.CodePointSet;
import org.sglang4j.grammar.regex.Regex;

/**
 * Exact regexes for bounded JSON numbers: integers in [lo, hi] (either side open), and decimals without exponent
 * whose bounds are whole numbers. A bounded number is split into its integer part and a fraction class: any
 * fraction, only zeros (so {@code 5} and {@code 5.00} hit an inclusive bound of 5), or at least one non-zero digit
 * (just above an exclusive bound).
 */
final class NumberRanges {
    enum Fraction { ANY, ZERO, NONZERO, NONE }

    private NumberRanges() {}

    /** Integers lo ≤ x ≤ hi; null = unbounded on that side. */
    static Regex integers(Long lo, Long hi) {
        List<Regex> options = new ArrayList<>();
        if (hi == null || hi >= 0) options.add(naturals(lo == null ? 0 : Math.max(lo, 0), hi));
        if (lo == null || lo < 0) {
            long magMin = hi == null || hi >= 0 ? 1 : -hi;
            Long magMax = lo == null ? null : -lo;
            if (magMax == null || magMin <= magMax) options.add(Regex.seq(Regex.literal("-"), naturals(magMin, magMax)));
        }
        return Regex.alt(options);
    }

    /**
     * Decimals (no exponent) in the range; bounds are whole numbers; {@code loExclusive}/{@code hiExclusive} make
     * the bound itself excluded.
     */
    static Regex decimals(Long lo, boolean loExclusive, Long hi, boolean hiExclusive) {
        List<Regex> options = new ArrayList<>();
        // Non-negative, written without '-': integer part I ≥ a with the fraction class at I == a, and ≤ hi.
        if (hi == null || hi > 0 || hi == 0 && !hiExclusive) {
            boolean loEdge = lo != null && lo >= 0;
            options.add(side(loEdge ? lo : 0, loEdge && loExclusive ? Fraction.NONZERO : Fraction.ANY,
                    hi, hiExclusive ? Fraction.NONE : Fraction.ZERO));
        }
        // Negative: '-' then a magnitude m > 0 with -lo ≥ m ≥ -hi.
        if (lo == null || lo < 0) {
            boolean hiEdge = hi != null && hi < 0;
            Regex mag = side(hiEdge ? -hi : 0, hiEdge && !hiExclusive ? Fraction.ANY : Fraction.NONZERO,
                    lo == null ? null : -lo, loExclusive ? Fraction.NONE : Fraction.ZERO);
            options.add(Regex.seq(Regex.literal("-"), mag));
        }
        return Regex.alt(options);
    }

    /** Integer part a ≤ I ≤ b written as digits; fraction {@code atA} when I == a, {@code atB} when I == b. */
    private static Regex side(long a, Fraction atA, Long b, Fraction atB) {
        if (b != null && b < a) return Regex.NOTHING;
        List<Regex> options = new ArrayList<>();
        if (b != null && b == a) {
            add(options, a, a, meet(atA, atB));
            return Regex.alt(options);
        }
        add(options, a, a, atA);
        if (b == null) {
            options.add(Regex.seq(naturals(a + 1, null), fraction(Fraction.ANY)));
        } else {
            if (b - 1 >= a + 1) add(options, a + 1, b - 1, Fraction.ANY);
            add(options, b, b, atB);
        }
        return Regex.alt(options);
    }

    private static void add(List<Regex> options, long from, long to, Fraction f) {
        if (f != Fraction.NONE) options.add(Regex.seq(naturals(from, to), fraction(f)));
    }

    private static Fraction meet(Fraction x, Fraction y) {
        if (x == Fraction.NONE || y == Fraction.NONE) return Fraction.NONE;
        if (x == Fraction.ANY) return y;
        if (y == Fraction.ANY) return x;
        return x == y ? x : Fraction.NONE;
    }

    private static Regex fraction(Fraction f) {
        Regex dot = Regex.literal(".");
        return switch (f) {
            case ANY -> Regex.optional(Regex.seq(dot, Regex.plus(JsonTokens.DIGIT)));
            case ZERO -> Regex.optional(Regex.seq(dot, Regex.plus(Regex.literal("0"))));
            case NONZERO -> Regex.seq(dot, Regex.star(JsonTokens.DIGIT), JsonTokens.NONZERO_DIGIT, Regex.star(JsonTokens.DIGIT));
            case NONE -> Regex.NOTHING;
        };
    }

    /** Canonical decimal digits of n with lo ≤ n ≤ hi (0 ≤ lo; hi null = unbounded). */
    static Regex naturals(long lo, Long hi) {
        if (hi != null && hi < lo) return Regex.NOTHING;
        String from = Long.toString(lo);
        int loLen = from.length();
        if (hi == null) {
            return Regex.alt(sameLength(from, "9".repeat(loLen)),
                    Regex.seq(JsonTokens.NONZERO_DIGIT, Regex.repeat(JsonTokens.DIGIT, loLen, Regex.UNBOUNDED)));
        }
        String to = Long.toString(hi);
        List<Regex> options = new ArrayList<>();
        for (int len = loLen; len <= to.length(); len++) {
            String a = len == loLen ? from : "1" + "0".repeat(len - 1);
            String b = len == to.length() ? to : "9".repeat(len);
            options.add(sameLength(a, b));
        }
        return Regex.alt(options);
    }

    /** Numbers between two digit strings of the same length (inclusive). */
    private static Regex sameLength(String a, String b) {
        int n = a.length();
        if (n == 0) return Regex.EMPTY_STRING;
        char a0 = a.charAt(0), b0 = b.charAt(0);
        if (n == 1) return Regex.chars(CodePointSet.range(a0, b0));
        String aRest = a.substring(1), bRest = b.substring(1);
        if (a0 == b0) return Regex.seq(Regex.literal(String.valueOf(a0)), sameLength(aRest, bRest));
        if (aRest.chars().allMatch(c -> c == '0') && bRest.chars().allMatch(c -> c == '9')) {
            return Regex.seq(Regex.chars(CodePointSet.range(a0, b0)), Regex.repeat(JsonTokens.DIGIT, n - 1, n - 1));
        }
        List<Regex> options = new ArrayList<>();
        options.add(Regex.seq(Regex.literal(String.valueOf(a0)), sameLength(aRest, "9".repeat(n - 1))));
        if (a0 + 1 <= b0 - 1) {
            options.add(Regex.seq(Regex.chars(CodePointSet.range(a0 + 1, b0 - 1)), Regex.repeat(JsonTokens.DIGIT, n - 1, n - 1)));
        }
        options.add(Regex.seq(Regex.literal(String.valueOf(b0)), sameLength("0".repeat(n - 1), bRest)));
        return Regex.alt(options);
    }

}
