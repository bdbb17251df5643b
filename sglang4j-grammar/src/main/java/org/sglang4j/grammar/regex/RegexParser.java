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

    private final PatternCursor in;
    private int depth;

    private RegexParser(String src) {
        this.in = new PatternCursor(src);
    }

    public static Regex parse(String pattern) {
        RegexParser p = new RegexParser(pattern);
        RegexFlags flags = p.leadingFlags(RegexFlags.DEFAULT);
        Regex r = p.parseAlternation(flags);
        if (!p.in.atEnd()) throw p.in.error("unbalanced parenthesis");
        return r;
    }

    /** Global flag groups such as {@code (?u)} or {@code (?ix)} at the very start (Python 3.11 allows no others). */
    private RegexFlags leadingFlags(RegexFlags flags) {
        while (in.startsWith("(?") && in.pos + 2 < in.src.length() && isFlagLetter(in.src.charAt(in.pos + 2))) {
            int start = in.pos;
            in.pos += 2;
            RegexFlags f = parseFlagLetters(flags, false);
            if (!in.eat(')')) {
                in.pos = start; // a scoped group such as (?i:...), parsed as an atom
                return flags;
            }
            flags = f;
        }
        return flags;
    }

    private Regex parseAlternation(RegexFlags flags) {
        List<Regex> options = new ArrayList<>();
        options.add(parseSequence(flags));
        while (in.eat('|')) options.add(parseSequence(flags));
        return Regex.alt(options);
    }

    private Regex parseSequence(RegexFlags flags) {
        List<Regex> items = new ArrayList<>();
        while (true) {
            skipVerbose(flags);
            if (in.atEnd() || in.peek() == '|' || in.peek() == ')') break;
            if (in.peek() == '^' || in.startsWith("\\A")) {
                if (depth > 0 || !items.isEmpty()) throw in.error("anchor " + (in.peek() == '^' ? "^" : "\\A")
                        + " is only supported at the start of the pattern (the whole output always has to match)");
                in.pos += in.peek() == '^' ? 1 : 2;
                continue;
            }
            if (in.peek() == '$' || in.startsWith("\\Z") || in.startsWith("\\z")) {
                String anchor = in.peek() == '$' ? "$" : in.src.substring(in.pos, in.pos + 2);
                in.pos += anchor.length();
                skipVerbose(flags);
                if (depth > 0 || !(in.atEnd() || in.peek() == '|')) throw in.error("anchor " + anchor
                        + " is only supported at the end of the pattern (the whole output always has to match)");
                continue;
            }
            Regex atom = parseAtom(flags);
            if (atom != null) items.add(parseQuantifier(atom, flags));
        }
        return Regex.seq(items);
    }

    private Regex parseAtom(RegexFlags flags) {
        int start = in.pos;
        int c = in.nextCodePoint();
        return switch (c) {
            case '(' -> parseGroup(flags);
            case '[' -> new Regex.Chars(ClassParser.parseClass(in, flags));
            case '.' -> new Regex.Chars(flags.dotAll() ? CodePointSet.ANY : CodePointSet.ANY.minus(CodePointSet.of('\n')));
            case '\\' -> {
                ClassParser.Item item = ClassParser.escape(in, false, flags);
                yield new Regex.Chars(item.set() != null ? item.set() : literal(item.cp(), flags));
            }
            case '*', '+', '?' -> throw in.errorAt(start, "nothing to repeat");
            case '{' -> {
                in.pos = start;
                if (braceQuantifier() != null) throw in.errorAt(start, "nothing to repeat");
                in.pos = start + 1;
                yield new Regex.Chars(literal('{', flags));
            }
            default -> new Regex.Chars(literal(ClassParser.single(c).cp(), flags));
        };
    }

    private CodePointSet literal(int cp, RegexFlags flags) {
        CodePointSet s = CodePointSet.of(cp);
        return flags.ignoreCase() ? CharClasses.caseClosure(s) : s;
    }

    private Regex parseQuantifier(Regex atom, RegexFlags flags) {
        skipVerbose(flags);
        if (in.atEnd()) return atom;
        int start = in.pos;
        int min, max;
        char c = in.peek();
        if (c == '*' || c == '+' || c == '?') {
            in.pos++;
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : Regex.UNBOUNDED;
        } else if (c == '{') {
            int[] q = braceQuantifier();
            if (q == null) {
                in.pos = start;
                return atom;
            }
            min = q[0];
            max = q[1];
        } else {
            return atom;
        }
        if (!in.atEnd() && in.peek() == '+') throw in.error("possessive quantifiers (" + in.src.substring(start, in.pos + 1)
                + ") are not supported");
        in.eat('?'); // lazy: same language when the whole output must match
        skipVerbose(flags);
        if (!in.atEnd() && ("*+?".indexOf(in.peek()) >= 0 || in.peek() == '{' && braceQuantifierAhead())) throw in.error("multiple repeat");
        return new Regex.Repeat(atom, min, max);
    }

    private boolean braceQuantifierAhead() {
        int save = in.pos;
        try {
            return braceQuantifier() != null;
        } finally {
            in.pos = save;
        }
    }

    /** At '{': parses {@code {m}}, {@code {m,}}, {@code {,n}}, {@code {m,n}} or returns null (then '{' is literal). */
    private int[] braceQuantifier() {
        int start = in.pos;
        in.pos++;
        String lo = digits(), hi = null;
        boolean comma = in.eat(',');
        if (comma) hi = digits();
        if (!in.eat('}') || (!comma && lo.isEmpty())) {
            in.pos = start;
            return null;
        }
        int min = lo.isEmpty() ? 0 : count(lo, start);
        int max = !comma ? min : hi.isEmpty() ? Regex.UNBOUNDED : count(hi, start);
        if (max != Regex.UNBOUNDED && max < min) throw in.errorAt(start, "min repeat greater than max repeat");
        return new int[] {min, max};
    }

    private int count(String digits, int at) {
        if (digits.length() > 9 || Integer.parseInt(digits) > MAX_COUNT) {
            throw in.errorAt(at, "repetition count " + digits + " is above the supported maximum " + MAX_COUNT);
        }
        return Integer.parseInt(digits);
    }

    private String digits() {
        int start = in.pos;
        while (!in.atEnd() && in.peek() >= '0' && in.peek() <= '9') in.pos++;
        return in.src.substring(start, in.pos);
    }

    private Regex parseGroup(RegexFlags flags) {
        int start = in.pos - 1;
        if (++depth > MAX_DEPTH) throw in.error("groups nested deeper than " + MAX_DEPTH);
        RegexFlags inner = flags;
        if (in.eat('?')) {
            if (in.atEnd()) throw in.errorAt(start, "unexpected end of pattern");
            char c = in.src.charAt(in.pos++);
            switch (c) {
                case ':' -> { }
                case 'P' -> {
                    if (in.eat('<')) groupName(start);
                    else if (in.peek() == '=') throw in.errorAt(start, "backreferences (?P=name) are not supported");
                    else throw in.errorAt(start, "unknown extension ?P" + (in.atEnd() ? "" : in.peek()));
                }
                case '<' -> {
                    if (!in.atEnd() && (in.peek() == '=' || in.peek() == '!')) throw in.errorAt(start, "lookbehind (?<" + in.peek() + "...) is not supported");
                    groupName(start);
                }
                case '=', '!' -> throw in.errorAt(start, "lookahead (?" + c + "...) is not supported");
                case '#' -> {
                    int close = in.src.indexOf(')', in.pos);
                    if (close < 0) throw in.errorAt(start, "missing ), unterminated comment");
                    in.pos = close + 1;
                    depth--;
                    return null;
                }
                case '>' -> throw in.errorAt(start, "atomic groups (?>...) are not supported");
                case '(' -> throw in.errorAt(start, "conditional groups (?(...)...) are not supported");
                default -> {
                    in.pos--;
                    if (!isFlagLetter(c) && c != '-') throw in.errorAt(start, "unknown extension ?" + c);
                    inner = parseFlagLetters(flags, true);
                    if (in.eat(')')) throw in.errorAt(start, "global flags not at the start of the expression");
                    if (!in.eat(':')) throw in.errorAt(start, "missing :, unterminated flags group");
                }
            }
        }
        Regex r = parseAlternation(inner);
        if (!in.eat(')')) throw in.errorAt(start, "missing ), unterminated subpattern");
        depth--;
        return r;
    }

    private void groupName(int start) {
        int close = in.src.indexOf('>', in.pos);
        if (close < 0) throw in.errorAt(start, "missing >, unterminated name");
        String name = in.src.substring(in.pos, close);
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0))
                || !name.codePoints().allMatch(Character::isJavaIdentifierPart)) {
            throw in.errorAt(start, "bad character in group name '" + name + "'");
        }
        in.pos = close + 1;
    }

    private static boolean isFlagLetter(char c) {
        return "aiLmsux".indexOf(c) >= 0;
    }

    /** Flag letters, optionally {@code -letters} (scoped groups only); stops before ':' or ')'. */
    private RegexFlags parseFlagLetters(RegexFlags f, boolean scoped) {
        boolean on = true;
        boolean ignoreCase = f.ignoreCase(), dotAll = f.dotAll(), verbose = f.verbose(), unicode = f.unicode();
        while (!in.atEnd() && in.peek() != ':' && in.peek() != ')') {
            char c = in.src.charAt(in.pos++);
            switch (c) {
                case '-' -> {
                    if (!on || !scoped) throw in.error("bad inline flags: '-' only once, in a scoped group (?a-b:...)");
                    on = false;
                }
                case 'i' -> ignoreCase = on;
                case 's' -> dotAll = on;
                case 'x' -> verbose = on;
                case 'm' -> { } // multiline only changes ^/$, which must sit at the ends anyway
                case 'u' -> {
                    if (!on) throw in.error("bad inline flags: cannot turn off flag 'u'");
                    unicode = true;
                }
                case 'a' -> {
                    if (!on) throw in.error("bad inline flags: cannot turn off flag 'a'");
                    unicode = false;
                }
                case 'L' -> throw in.error("bad inline flags: flag 'L' is only valid with bytes patterns");
                default -> throw in.error("unknown flag '" + c + "'");
            }
        }
        return new RegexFlags(ignoreCase, dotAll, verbose, unicode);
    }

    private void skipVerbose(RegexFlags flags) {
        if (!flags.verbose()) return;
        while (!in.atEnd()) {
            char c = in.peek();
            if (VERBOSE_SPACE.indexOf(c) >= 0) {
                in.pos++;
            } else if (c == '#') {
                while (!in.atEnd() && in.peek() != '\n') in.pos++;
            } else {
                return;
            }
        }
    }
}
