package org.sglang4j.grammar;

import java.util.Random;

/**
 * Random regexes written twice: in Python syntax (what users send; e.g. a bare {@code {} literal) and in
 * java.util.regex syntax for the independent checker. Atoms include Chinese, accented and 4-byte characters so
 * tokens that split UTF-8 sequences are exercised.
 */
final class RandomRegexes {
    record Pair(String python, String java) {}

    private static final String[][] ATOMS = {
            {"a", "a"}, {"b", "b"}, {"x", "x"}, {"0", "0"}, {"7", "7"}, {" ", " "}, {"-", "-"}, {":", ":"},
            {"中", "中"}, {"文", "文"}, {"订单", "订单"}, {"😀", "😀"}, {"é", "é"}, {"\"", "\""},
            {"{", "\\{"}, {"}", "\\}"}, {"\\.", "\\."}, {"\\(", "\\("}, {"\\u4e00", "\\u4e00"},
            {"[a-c]", "[a-c]"}, {"[^a-z]", "[^a-z]"}, {"\\d", "\\d"}, {"\\w", "\\w"}, {"\\s", "\\s"},
            {"[0-9a-f]", "[0-9a-f]"}, {"[\\u0400-\\u04ff\\u4e05-\\u4e45]", "[\\u0400-\\u04ff\\u4e05-\\u4e45]"}, {"[一-龥]", "[一-龥]"}, {"[😀-😎]", "[😀-😎]"}, {".", "."}, {"[\\]x]", "[\\]x]"},
    };

    private RandomRegexes() {}

    static Pair generate(Random r) {
        StringBuilder py = new StringBuilder(), java = new StringBuilder();
        alternation(r, 3, py, java);
        return new Pair(py.toString(), java.toString());
    }

    private static void alternation(Random r, int depth, StringBuilder py, StringBuilder java) {
        int n = r.nextInt(6) == 0 ? 2 + r.nextInt(2) : 1;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                py.append('|');
                java.append('|');
            }
            sequence(r, depth, py, java);
        }
    }

    private static void sequence(Random r, int depth, StringBuilder py, StringBuilder java) {
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (depth > 0 && r.nextInt(4) == 0) {
                String open = r.nextBoolean() ? "(?:" : "(";
                py.append(open);
                java.append(open);
                alternation(r, depth - 1, py, java);
                py.append(')');
                java.append(')');
                groupQuantifier(r, py, java);
            } else {
                String[] atom = ATOMS[r.nextInt(ATOMS.length)];
                boolean multi = atom[0].codePointCount(0, atom[0].length()) > 1 && !atom[0].startsWith("[") && !atom[0].startsWith("\\");
                py.append(multi ? "(?:" + atom[0] + ")" : atom[0]);
                java.append(multi ? "(?:" + atom[1] + ")" : atom[1]);
                quantifier(r, py, java);
            }
        }
    }

    /** Groups get only small bounded counts: nested unbounded loops make the java.util.regex checker backtrack exponentially. */
    private static void groupQuantifier(Random r, StringBuilder py, StringBuilder java) {
        String q = switch (r.nextInt(6)) {
            case 0 -> "?";
            case 1 -> "{2}";
            case 2 -> "{0,2}";
            default -> "";
        };
        py.append(q);
        java.append(q);
    }

    private static void quantifier(Random r, StringBuilder py, StringBuilder java) {
        String q = switch (r.nextInt(12)) {
            case 0 -> "?";
            case 1 -> "*";
            case 2 -> "+";
            case 3 -> "{" + r.nextInt(4) + "}";
            case 4 -> {
                int lo = r.nextInt(3);
                yield "{" + lo + "," + (lo + r.nextInt(4)) + "}";
            }
            case 5 -> "{" + r.nextInt(3) + ",}";
            default -> "";
        };
        py.append(q);
        java.append(q);
    }
}
