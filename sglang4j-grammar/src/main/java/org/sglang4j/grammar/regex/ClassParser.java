package org.sglang4j.grammar.regex;

import org.sglang4j.grammar.GrammarException;

/**
 * Character classes and escapes with Python's rules: {@code ]} first in a class is literal, {@code -} first or
 * last is literal, {@code \b} is backspace inside a class, {@code \1} is a backreference outside a class and an
 * octal escape inside, {@code \xhh \\uhhhh \Uhhhhhhhh \N{name}} name code points, and an unknown ASCII letter escape
 * is an error.
 */
final class ClassParser {
    /** One class item: a single code point ({@code set == null}) or a set such as {@code \d}. */
    record Item(int cp, CodePointSet set) {}

    private ClassParser() {}

    /** After '['. */
    static CodePointSet parseClass(PatternCursor in, RegexFlags flags) {
        int start = in.pos - 1;
        boolean negate = in.eat('^');
        CodePointSet acc = CodePointSet.EMPTY;
        boolean first = true;
        while (true) {
            if (in.atEnd()) throw in.errorAt(start, "unterminated character set");
            if (in.peek() == ']' && !first) {
                in.pos++;
                break;
            }
            first = false;
            int itemStart = in.pos;
            Item item = item(in, flags);
            if (item.set() == null && !in.atEnd() && in.peek() == '-' && in.pos + 1 < in.src.length() && in.src.charAt(in.pos + 1) != ']') {
                in.pos++;
                Item hi = item(in, flags);
                if (hi.set() != null || hi.cp() < item.cp()) {
                    throw in.errorAt(itemStart, "bad character range " + in.src.substring(itemStart, in.pos));
                }
                acc = acc.union(CodePointSet.range(item.cp(), hi.cp()));
            } else {
                acc = acc.union(item.set() != null ? item.set() : CodePointSet.of(item.cp()));
            }
        }
        if (flags.ignoreCase()) acc = CharClasses.caseClosure(acc);
        return negate ? acc.complement() : acc;
    }

    private static Item item(PatternCursor in, RegexFlags flags) {
        int cp = in.nextCodePoint();
        return cp == '\\' ? escape(in, true, flags) : single(cp);
    }

    /** After a backslash. */
    static Item escape(PatternCursor in, boolean inClass, RegexFlags flags) {
        int start = in.pos - 1;
        if (in.atEnd()) throw in.errorAt(start, "bad escape (end of pattern)");
        int c = in.nextCodePoint();
        return switch (c) {
            case 'd' -> set(CharClasses.digit(flags.unicode()));
            case 'D' -> set(CharClasses.digit(flags.unicode()).complement());
            case 'w' -> set(CharClasses.word(flags.unicode()));
            case 'W' -> set(CharClasses.word(flags.unicode()).complement());
            case 's' -> set(CharClasses.space(flags.unicode()));
            case 'S' -> set(CharClasses.space(flags.unicode()).complement());
            case 'n' -> single('\n');
            case 't' -> single('\t');
            case 'r' -> single('\r');
            case 'f' -> single('\f');
            case 'v' -> single(0x0B);
            case 'a' -> single(0x07);
            case 'b' -> {
                if (inClass) yield single(0x08);
                throw in.errorAt(start, "word boundary \\b is not supported");
            }
            case 'B' -> throw in.errorAt(start, "word boundary \\B is not supported");
            case 'x' -> single(hex(in, 2, start));
            case 'u' -> single(hex(in, 4, start));
            case 'U' -> {
                int cp = hex(in, 8, start);
                if (cp > CodePointSet.MAX) throw in.errorAt(start, "bad escape " + in.src.substring(start, in.pos));
                yield single(cp);
            }
            case 'N' -> single(namedChar(in, start));
            case '0' -> single(octal(in, 0));
            default -> {
                if (c >= '1' && c <= '9') {
                    if (inClass) {
                        if (c > '7') throw in.errorAt(start, "bad escape " + in.src.substring(start, in.pos));
                        yield single(octal(in, c - '0'));
                    }
                    if (c <= '3' && in.pos + 1 < in.src.length() && isOctal(in.src.charAt(in.pos)) && isOctal(in.src.charAt(in.pos + 1))) {
                        yield single(octal(in, c - '0'));
                    }
                    throw in.errorAt(start, "backreferences (\\" + (char) c + ") are not supported");
                }
                if (c < 0x80 && Character.isLetter(c)) throw in.errorAt(start, "bad escape \\" + (char) c);
                yield single(c);
            }
        };
    }

    private static Item set(CodePointSet s) {
        return new Item(-1, s);
    }

    /** A literal code point; surrogates cannot be written as UTF-8. */
    static Item single(int cp) {
        if (cp >= CodePointSet.SURROGATE_MIN && cp <= CodePointSet.SURROGATE_MAX) {
            throw new GrammarException("invalid regex: surrogate code point U+" + Integer.toHexString(cp).toUpperCase()
                    + " cannot appear in UTF-8 output");
        }
        return new Item(cp, null);
    }

    private static int hex(PatternCursor in, int n, int start) {
        if (in.pos + n > in.src.length()) throw in.errorAt(start, "incomplete escape " + in.src.substring(start));
        String h = in.src.substring(in.pos, in.pos + n);
        if (!h.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw in.errorAt(start, "incomplete escape \\" + in.src.charAt(start + 1) + h);
        }
        in.pos += n;
        return Integer.parseInt(h, 16);
    }

    /** Up to two more octal digits after the first. */
    private static int octal(PatternCursor in, int value) {
        for (int i = 0; i < 2 && !in.atEnd() && isOctal(in.peek()); i++) value = value * 8 + (in.src.charAt(in.pos++) - '0');
        if (value > 0377) throw in.error("octal escape value " + Integer.toOctalString(value) + " outside of range 0-0o377");
        return value;
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    private static int namedChar(PatternCursor in, int start) {
        int close = in.src.indexOf('}', in.pos);
        if (!in.eat('{') || close < 0) throw in.errorAt(start, "missing {, \\N must be followed by {name}");
        String name = in.src.substring(in.pos, close);
        in.pos = close + 1;
        try {
            return Character.codePointOf(name);
        } catch (IllegalArgumentException e) {
            throw in.errorAt(start, "undefined character name '" + name + "'");
        }
    }
}
