package org.sglang4j.grammar.regex;

/**
 * Writes a {@link Regex} as pattern text that both Python {@code re} and {@code java.util.regex} read the same way
 * (and {@link RegexParser} reads back): non-ASCII BMP characters and controls as {@code \\uXXXX}, supplementary
 * characters literally. An {@link Regex.Intersection} has no such syntax and is written as
 * {@code (?:A)(?#and)(?:B)}, which is for reading only; an {@link Regex.ExactlyOne} as its alternation, which
 * matches a superset.
 */
public final class RegexPrinter {
    private static final String META = "\\.^$|?*+()[]{}";
    private static final String CLASS_META = "\\]^-[&";

    private RegexPrinter() {}

    public static String print(Regex r) {
        StringBuilder sb = new StringBuilder();
        print(r, sb);
        return sb.toString();
    }

    private static void print(Regex r, StringBuilder sb) {
        switch (r) {
            case Regex.Chars c -> sb.append(printSet(c.set()));
            case Regex.Concat c -> {
                for (Regex p : c.parts()) {
                    boolean wrap = p instanceof Regex.Alt a && a.options().size() != 1 || p instanceof Regex.Intersection
                            || p instanceof Regex.ExactlyOne;
                    if (wrap) sb.append("(?:");
                    print(p, sb);
                    if (wrap) sb.append(')');
                }
            }
            case Regex.Alt a -> {
                if (a.options().isEmpty()) {
                    sb.append("(?!)");
                    return;
                }
                for (int i = 0; i < a.options().size(); i++) {
                    if (i > 0) sb.append('|');
                    print(a.options().get(i), sb);
                }
            }
            case Regex.Repeat rep -> {
                boolean atom = rep.inner() instanceof Regex.Chars;
                if (!atom) sb.append("(?:");
                print(rep.inner(), sb);
                if (!atom) sb.append(')');
                int min = rep.min(), max = rep.max();
                if (min == 0 && max == Regex.UNBOUNDED) sb.append('*');
                else if (min == 1 && max == Regex.UNBOUNDED) sb.append('+');
                else if (min == 0 && max == 1) sb.append('?');
                else if (max == Regex.UNBOUNDED) sb.append('{').append(min).append(",}");
                else if (min == max) sb.append('{').append(min).append('}');
                else sb.append('{').append(min).append(',').append(max).append('}');
            }
            case Regex.ExactlyOne one -> print(new Regex.Alt(one.options()), sb);
            case Regex.Intersection in -> {
                for (int i = 0; i < in.parts().size(); i++) {
                    if (i > 0) sb.append("(?#and)");
                    sb.append("(?:");
                    print(in.parts().get(i), sb);
                    sb.append(')');
                }
            }
        }
    }

    /** A single literal or a bracketed class. */
    public static String printSet(CodePointSet set) {
        int single = set.single();
        StringBuilder sb = new StringBuilder();
        if (single >= 0) {
            appendChar(sb, single, META);
            return sb.toString();
        }
        if (set.isEmpty()) return "(?!)";
        if (set.equals(CodePointSet.ANY)) return "(?s:.)";
        // A class containing most of Unicode reads better negated.
        boolean negate = set.size() > CodePointSet.ANY.size() / 2;
        CodePointSet shown = negate ? set.complement() : set;
        sb.append('[');
        if (negate) sb.append('^');
        for (int i = 0; i < shown.rangeCount(); i++) {
            int lo = shown.lo(i), hi = shown.hi(i);
            appendChar(sb, lo, CLASS_META);
            if (hi > lo) {
                if (hi > lo + 1) sb.append('-');
                appendChar(sb, hi, CLASS_META);
            }
        }
        return sb.append(']').toString();
    }

    private static void appendChar(StringBuilder sb, int cp, String meta) {
        if (cp < 0x80 && meta.indexOf(cp) >= 0) {
            sb.append('\\').append((char) cp);
        } else if (cp < 0x20 || cp == 0x7F) {
            sb.append(String.format("\\x%02x", cp));
        } else if (cp == ' ' || cp == '#') {
            sb.append('\\').append((char) cp); // safe under the verbose flag too
        } else if (cp < 0x80) {
            sb.append((char) cp);
        } else if (cp <= 0xFFFF && (Character.isWhitespace(cp) || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.CONTROL || !Character.isDefined(cp) || Character.isISOControl(cp))) {
            sb.append(String.format("\\u%04x", cp));
        } else if (cp <= 0xFFFF) {
            sb.append((char) cp);
        } else {
            sb.appendCodePoint(cp);
        }
    }
}
