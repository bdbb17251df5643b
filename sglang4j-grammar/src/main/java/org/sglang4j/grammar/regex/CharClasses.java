package org.sglang4j.grammar.regex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sets behind {@code \d \w \s} and case-insensitive matching. By default the classes are ASCII, as Outlines
 * and XGrammar read them ({@code \d} = {@code [0-9]}, {@code \w} = {@code [A-Za-z0-9_]}, {@code \s} =
 * {@code [ \t\n\r\f\v]}); under the {@code (?u)} flag they follow Python's Unicode definitions (digits = category
 * Nd, word = letters, numbers and {@code _}, space = {@code str.isspace()}).
 */
final class CharClasses {
    static final CodePointSet ASCII_DIGIT = CodePointSet.range('0', '9');
    static final CodePointSet ASCII_WORD = CodePointSet.ofRanges('a', 'z', 'A', 'Z', '0', '9', '_', '_');
    static final CodePointSet ASCII_SPACE = CodePointSet.ofChars(" \t\n\r\f\u000B");

    private CharClasses() {}

    static CodePointSet digit(boolean unicode) {
        return unicode ? Unicode.DIGIT : ASCII_DIGIT;
    }

    static CodePointSet word(boolean unicode) {
        return unicode ? Unicode.WORD : ASCII_WORD;
    }

    static CodePointSet space(boolean unicode) {
        return unicode ? Unicode.SPACE : ASCII_SPACE;
    }

    /** {@code set} plus every code point that differs from a member only by case. */
    static CodePointSet caseClosure(CodePointSet set) {
        int[] cased = CaseOrbits.CASED;
        List<Integer> extra = new ArrayList<>();
        for (int cp : cased) {
            if (set.contains(cp)) {
                for (int other : CaseOrbits.ORBITS.get(cp)) extra.add(other);
            }
        }
        if (extra.isEmpty()) return set;
        int[] pairs = new int[extra.size() * 2];
        for (int i = 0; i < extra.size(); i++) pairs[2 * i] = pairs[2 * i + 1] = extra.get(i);
        return set.union(CodePointSet.ofRanges(pairs));
    }

    /** Built on first use of {@code (?u)}: one pass over all code points. */
    private static final class Unicode {
        static final CodePointSet DIGIT = collect(cp -> Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER);
        static final CodePointSet WORD = collect(cp -> cp == '_' || Character.isLetter(cp) || switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        });
        static final CodePointSet SPACE = CodePointSet.ofChars(
                " \t\n\r\f\u000B\u001C\u001D\u001E\u001F\u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                        + "\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000");

        private static CodePointSet collect(java.util.function.IntPredicate p) {
            int[] pairs = new int[64];
            int m = 0;
            for (int cp = 0; cp <= CodePointSet.MAX; cp++) {
                if (!p.test(cp)) continue;
                if (m > 0 && pairs[m - 1] == cp - 1) {
                    pairs[m - 1] = cp;
                } else {
                    if (m + 2 > pairs.length) pairs = Arrays.copyOf(pairs, pairs.length * 2);
                    pairs[m++] = cp;
                    pairs[m++] = cp;
                }
            }
            return CodePointSet.ofRanges(Arrays.copyOf(pairs, m));
        }
    }

    /** Groups of code points equal under case mapping (simple, one-to-one mappings only, as Python's re). */
    private static final class CaseOrbits {
        static final Map<Integer, int[]> ORBITS = new HashMap<>();
        static final int[] CASED;

        static {
            Map<Integer, List<Integer>> byKey = new HashMap<>();
            for (int cp = 0; cp <= CodePointSet.MAX; cp++) {
                int up = Character.toUpperCase(cp), low = Character.toLowerCase(cp);
                if (up == cp && low == cp) continue;
                int key = Character.toLowerCase(up);
                List<Integer> group = byKey.computeIfAbsent(key, k -> new ArrayList<>());
                for (int c : new int[] {cp, up, low, key}) if (!group.contains(c)) group.add(c);
            }
            for (List<Integer> group : byKey.values()) {
                int[] members = group.stream().mapToInt(Integer::intValue).toArray();
                for (int c : members) ORBITS.merge(c, members, CaseOrbits::merge);
            }
            CASED = ORBITS.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        }

        private static int[] merge(int[] a, int[] b) {
            return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().toArray();
        }
    }
}
