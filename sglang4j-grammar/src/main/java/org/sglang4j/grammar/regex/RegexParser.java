package org.sglang4j.grammar.regex;

import java.util.ArrayList;
import java.util.List;
import org.sglang4j.grammar.GrammarException;

/**
 * Reads regex text in the syntax users send SGLang (Python {@code re}, as Outlines and XGrammar accept it) into a
 * {@link Regex}. The whole output must match, so {@code ^}/{@code \A} are accepted only at the start and
 * {@code $}/{@code \Z} only at the end of the pattern or of a top-level alternative. {@code {} is a literal
 * wherever Python takes it literally (it does not start a valid {@code {m,n}} quantifier). Lazy quantifiers match
 * the same language as greedy ones here. Lookaround, backreferences, word boundaries, atomic groups and possessive
 * quantifiers have no finite-automaton equivalent and are rejected by name.
 */
public final class RegexParser {
    /** Largest {@code {m,n}} count accepted; the automaton size limit usually bites first. */
    public static final int MAX_COUNT = 100_000;
    private static final int MAX_DEPTH = 200;
    private static final String VERBOSE_SPACE = " \t\n\r\u000B\f";

    private record Flags(boolean ignoreCase, boolean dotAll, boolean verbose, boolean unicode) {}

    /** One class item: a single code point ({@code set == null}) or a set such as {@code \d}. */
    private record ClassItem(int cp, CodePointSet set) {}

    private final String src;
    private int pos;
    private int depth;

    private RegexParser(String src) {
        this.src = src;
    }

    public static Regex parse(String pattern) {
        RegexParser p = new RegexParser(pattern);
        Flags flags = p.leadingFlags(new Flags(false, false, false, false));
        Regex r = p.parseAlternation(flags);
        if (p.pos < pattern.length()) throw p.error("unbalanced parenthesis");
        return r;
    }

    /** Global flag groups such as {@code (?u)} or {@code (?ix)} at the very start (Python 3.11 allows no others). */
    private Flags leadingFlags(Flags flags) {
        while (src.startsWith("(?", pos) && pos + 2 < src.length() && isFlagLetter(src.charAt(pos + 2))) {
            int start = pos;
            pos += 2;
            Flags f = parseFlagLetters(flags, false);
            if (!eat(')')) {
                pos = start; // a scoped group such as (?i:...), parsed as an atom
                return flags;
            }
            flags = f;
        }
        return flags;
    }

    private Regex parseAlternation(Flags flags) {
        List<Regex> options = new ArrayList<>();
        options.add(parseSequence(flags));
        while (eat('|')) options.add(parseSequence(flags));
        return Regex.alt(options);
    }

    private Regex parseSequence(Flags flags) {
        List<Regex> items = new ArrayList<>();
        while (true) {
            skipVerbose(flags);
            if (atEnd() || peek() == '|' || peek() == ')') break;
            if (peek() == '^' || src.startsWith("\\A", pos)) {
                if (depth > 0 || !items.isEmpty()) throw error("anchor " + (peek() == '^' ? "^" : "\\A")
                        + " is only supported at the start of the pattern (the whole output always has to match)");
                pos += peek() == '^' ? 1 : 2;
                continue;
            }
            if (peek() == '$' || src.startsWith("\\Z", pos) || src.startsWith("\\z", pos)) {
                String anchor = peek() == '$' ? "$" : src.substring(pos, pos + 2);
                pos += anchor.length();
                skipVerbose(flags);
                if (depth > 0 || !(atEnd() || peek() == '|')) throw error("anchor " + anchor
                        + " is only supported at the end of the pattern (the whole output always has to match)");
                continue;
            }
            Regex atom = parseAtom(flags);
            if (atom != null) items.add(parseQuantifier(atom, flags));
        }
        return Regex.seq(items);
    }

    private Regex parseAtom(Flags flags) {
        int start = pos;
        int c = nextCodePoint();
        return switch (c) {
            case '(' -> parseGroup(flags);
            case '[' -> new Regex.Chars(parseClass(flags));
            case '.' -> new Regex.Chars(flags.dotAll() ? CodePointSet.ANY : CodePointSet.ANY.minus(CodePointSet.of('\n')));
            case '\\' -> {
                ClassItem item = parseEscape(false, flags);
                yield new Regex.Chars(item.set() != null ? item.set() : literal(item.cp(), flags));
            }
            case '*', '+', '?' -> throw errorAt(start, "nothing to repeat");
            case '{' -> {
                pos = start;
                if (braceQuantifier() != null) throw errorAt(start, "nothing to repeat");
                pos = start + 1;
                yield new Regex.Chars(literal('{', flags));
            }
            default -> new Regex.Chars(literal(single(c).cp(), flags));
        };
    }

    private CodePointSet literal(int cp, Flags flags) {
        CodePointSet s = CodePointSet.of(cp);
        return flags.ignoreCase() ? CharClasses.caseClosure(s) : s;
    }

    private Regex parseQuantifier(Regex atom, Flags flags) {
        skipVerbose(flags);
        if (atEnd()) return atom;
        int start = pos;
        int min, max;
        char c = peek();
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : Regex.UNBOUNDED;
        } else if (c == '{') {
            int[] q = braceQuantifier();
            if (q == null) {
                pos = start;
                return atom;
            }
            min = q[0];
            max = q[1];
        } else {
            return atom;
        }
        if (!atEnd() && peek() == '+') throw error("possessive quantifiers (" + src.substring(start, pos + 1)
                + ") are not supported");
        eat('?'); // lazy: same language when the whole output must match
        skipVerbose(flags);
        if (!atEnd() && ("*+?".indexOf(peek()) >= 0 || peek() == '{' && braceQuantifierAhead())) throw error("multiple repeat");
        return new Regex.Repeat(atom, min, max);
    }

    private boolean braceQuantifierAhead() {
        int save = pos;
        try {
            return braceQuantifier() != null;
        } finally {
            pos = save;
        }
    }

    /** At '{': parses {@code {m}}, {@code {m,}}, {@code {,n}}, {@code {m,n}} or returns null (then '{' is literal). */
    private int[] braceQuantifier() {
        int start = pos;
        pos++;
        String lo = digits(), hi = null;
        boolean comma = eat(',');
        if (comma) hi = digits();
        if (!eat('}') || (!comma && lo.isEmpty())) {
            pos = start;
            return null;
        }
        int min = lo.isEmpty() ? 0 : count(lo, start);
        int max = !comma ? min : hi.isEmpty() ? Regex.UNBOUNDED : count(hi, start);
        if (max != Regex.UNBOUNDED && max < min) throw errorAt(start, "min repeat greater than max repeat");
        return new int[] {min, max};
    }

    private int count(String digits, int at) {
        if (digits.length() > 9 || Integer.parseInt(digits) > MAX_COUNT) {
            throw errorAt(at, "repetition count " + digits + " is above the supported maximum " + MAX_COUNT);
        }
        return Integer.parseInt(digits);
    }

    private String digits() {
        int start = pos;
        while (!atEnd() && peek() >= '0' && peek() <= '9') pos++;
        return src.substring(start, pos);
    }

    private Regex parseGroup(Flags flags) {
        int start = pos - 1;
        if (++depth > MAX_DEPTH) throw error("groups nested deeper than " + MAX_DEPTH);
        Flags inner = flags;
        if (eat('?')) {
            if (atEnd()) throw errorAt(start, "unexpected end of pattern");
            char c = src.charAt(pos++);
            switch (c) {
                case ':' -> { }
                case 'P' -> {
                    if (eat('<')) groupName(start);
                    else if (peek() == '=') throw errorAt(start, "backreferences (?P=name) are not supported");
                    else throw errorAt(start, "unknown extension ?P" + (atEnd() ? "" : peek()));
                }
                case '<' -> {
                    if (!atEnd() && (peek() == '=' || peek() == '!')) throw errorAt(start, "lookbehind (?<" + peek() + "...) is not supported");
                    groupName(start);
                }
                case '=', '!' -> throw errorAt(start, "lookahead (?" + c + "...) is not supported");
                case '#' -> {
                    int close = src.indexOf(')', pos);
                    if (close < 0) throw errorAt(start, "missing ), unterminated comment");
                    pos = close + 1;
                    depth--;
                    return null;
                }
                case '>' -> throw errorAt(start, "atomic groups (?>...) are not supported");
                case '(' -> throw errorAt(start, "conditional groups (?(...)...) are not supported");
                default -> {
                    pos--;
                    if (!isFlagLetter(c) && c != '-') throw errorAt(start, "unknown extension ?" + c);
                    inner = parseFlagLetters(flags, true);
                    if (eat(')')) throw errorAt(start, "global flags not at the start of the expression");
                    if (!eat(':')) throw errorAt(start, "missing :, unterminated flags group");
                }
            }
        }
        Regex r = parseAlternation(inner);
        if (!eat(')')) throw errorAt(start, "missing ), unterminated subpattern");
        depth--;
        return r;
    }

    private void groupName(int start) {
        int close = src.indexOf('>', pos);
        if (close < 0) throw errorAt(start, "missing >, unterminated name");
        String name = src.substring(pos, close);
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))
                || !name.codePoints().allMatch(Character::isJavaIdentifierPart)) {
            throw errorAt(start, "bad character in group name '" + name + "'");
        }
        pos = close + 1;
    }

    private static boolean isFlagLetter(char c) {
        return "aiLmsux".indexOf(c) >= 0;
    }

    /** Flag letters, optionally {@code -letters} (scoped groups only); stops before ':' or ')'. */
    private Flags parseFlagLetters(Flags f, boolean scoped) {
        boolean on = true;
        boolean ignoreCase = f.ignoreCase(), dotAll = f.dotAll(), verbose = f.verbose(), unicode = f.unicode();
        while (!atEnd() && peek() != ':' && peek() != ')') {
            char c = src.charAt(pos++);
            switch (c) {
                case '-' -> {
                    if (!on || !scoped) throw error("bad inline flags: '-' only once, in a scoped group (?a-b:...)");
                    on = false;
                }
                case 'i' -> ignoreCase = on;
                case 's' -> dotAll = on;
                case 'x' -> verbose = on;
                case 'm' -> { } // multiline only changes ^/$, which must sit at the ends anyway
                case 'u' -> {
                    if (!on) throw error("bad inline flags: cannot turn off flag 'u'");
                    unicode = true;
                }
                case 'a' -> {
                    if (!on) throw error("bad inline flags: cannot turn off flag 'a'");
                    unicode = false;
                }
                case 'L' -> throw error("bad inline flags: flag 'L' is only valid with bytes patterns");
                default -> throw error("unknown flag '" + c + "'");
            }
        }
        return new Flags(ignoreCase, dotAll, verbose, unicode);
    }

    /** After '[': a class, with Python's rules ({@code ]} first is literal, {@code -} first or last is literal). */
    private CodePointSet parseClass(Flags flags) {
        int start = pos - 1;
        boolean negate = eat('^');
        CodePointSet acc = CodePointSet.EMPTY;
        boolean first = true;
        while (true) {
            if (atEnd()) throw errorAt(start, "unterminated character set");
            if (peek() == ']' && !first) {
                pos++;
                break;
            }
            first = false;
            int itemStart = pos;
            ClassItem item = classItem(flags);
            if (item.set() == null && !atEnd() && peek() == '-' && pos + 1 < src.length() && src.charAt(pos + 1) != ']') {
                pos++;
                ClassItem hi = classItem(flags);
                if (hi.set() != null || hi.cp() < item.cp()) {
                    throw errorAt(itemStart, "bad character range " + src.substring(itemStart, pos));
                }
                acc = acc.union(CodePointSet.range(item.cp(), hi.cp()));
            } else {
                acc = acc.union(item.set() != null ? item.set() : CodePointSet.of(item.cp()));
            }
        }
        if (flags.ignoreCase()) acc = CharClasses.caseClosure(acc);
        return negate ? acc.complement() : acc;
    }

    private ClassItem classItem(Flags flags) {
        int c = nextCodePoint();
        return c == '\\' ? parseEscape(true, flags) : single(c);
    }

    /** After a backslash. */
    private ClassItem parseEscape(boolean inClass, Flags flags) {
        int start = pos - 1;
        if (atEnd()) throw errorAt(start, "bad escape (end of pattern)");
        int c = nextCodePoint();
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
                throw errorAt(start, "word boundary \\b is not supported");
            }
            case 'B' -> throw errorAt(start, "word boundary \\B is not supported");
            case 'x' -> single(hex(2, start));
            case 'u' -> single(hex(4, start));
            case 'U' -> {
                int cp = hex(8, start);
                if (cp > CodePointSet.MAX) throw errorAt(start, "bad escape " + src.substring(start, pos));
                yield single(cp);
            }
            case 'N' -> single(namedChar(start));
            case '0' -> single(octal(0, 2));
            default -> {
                if (c >= '1' && c <= '9') {
                    if (inClass) {
                        if (c > '7') throw errorAt(start, "bad escape " + src.substring(start, pos));
                        yield single(octal(c - '0', 2));
                    }
                    if (c <= '3' && pos + 1 < src.length() && isOctal(src.charAt(pos)) && isOctal(src.charAt(pos + 1))) {
                        yield single(octal(c - '0', 2));
                    }
                    throw errorAt(start, "backreferences (\\" + (char) c + ") are not supported");
                }
                if (c < 0x80 && Character.isLetter(c)) throw errorAt(start, "bad escape \\" + (char) c);
                yield single(c);
            }
        };
    }

    private static ClassItem set(CodePointSet s) {
        return new ClassItem(-1, s);
    }

    private static ClassItem single(int cp) {
        if (cp >= CodePointSet.SURROGATE_MIN && cp <= CodePointSet.SURROGATE_MAX) {
            throw new GrammarException("invalid regex: surrogate code point U+" + Integer.toHexString(cp).toUpperCase()
                    + " cannot appear in UTF-8 output");
        }
        return new ClassItem(cp, null);
    }

    private int hex(int n, int start) {
        if (pos + n > src.length()) throw errorAt(start, "incomplete escape " + src.substring(start));
        String h = src.substring(pos, pos + n);
        if (!h.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) throw errorAt(start, "incomplete escape \\" + src.charAt(start + 1) + h);
        pos += n;
        return Integer.parseInt(h, 16);
    }

    private int octal(int value, int more) {
        for (int i = 0; i < more && !atEnd() && isOctal(peek()); i++) value = value * 8 + (src.charAt(pos++) - '0');
        if (value > 0377) throw errorAt(pos, "octal escape value " + Integer.toOctalString(value) + " outside of range 0-0o377");
        return value;
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    private int namedChar(int start) {
        int close = src.indexOf('}', pos);
        if (!eat('{') || close < 0) throw errorAt(start, "missing {, \\N must be followed by {name}");
        String name = src.substring(pos, close);
        pos = close + 1;
        try {
            return Character.codePointOf(name);
        } catch (IllegalArgumentException e) {
            throw errorAt(start, "undefined character name '" + name + "'");
        }
    }

    private void skipVerbose(Flags flags) {
        if (!flags.verbose()) return;
        while (!atEnd()) {
            char c = peek();
            if (VERBOSE_SPACE.indexOf(c) >= 0) {
                pos++;
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') pos++;
            } else {
                return;
            }
        }
    }

    private boolean atEnd() { return pos >= src.length(); }

    private char peek() { return src.charAt(pos); }

    private boolean eat(char c) {
        if (!atEnd() && src.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private int nextCodePoint() {
        int cp = src.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    private GrammarException error(String message) {
        return errorAt(pos, message);
    }

    private GrammarException errorAt(int at, String message) {
        String shown = src.length() <= 200 ? src : src.substring(Math.max(0, at - 60), Math.min(src.length(), at + 60));
        return new GrammarException("invalid regex at position " + at + ": " + message + " (in " + quote(shown) + ")");
    }

    private static String quote(String s) {
        return "'" + s.replace("\n", "\\n") + "'";
    }
}
