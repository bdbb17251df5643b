package org.sglang4j.grammar.json;

import org.sglang4j.grammar.regex.CodePointSet;
import org.sglang4j.grammar.regex.Regex;

/**
 * Regexes for JSON's lexical pieces. Strings admit any character except {@code "}, {@code \} and controls, plus
 * the escapes {@code \" \\ \/ \b \f \n \r \t} and {@code \\uXXXX} outside the surrogate range (a lone surrogate
 * escape would not decode to valid text). Numbers follow RFC 8259 (no leading zeros, no {@code +}).
 */
final class JsonTokens {
    /** Characters that appear in a JSON string as themselves. */
    static final CodePointSet STRING_SAFE = CodePointSet.ANY.minus(CodePointSet.ofRanges('"', '"', '\\', '\\', 0, 0x1F));
    static final Regex DIGIT = Regex.chars(CodePointSet.range('0', '9'));
    static final Regex NONZERO_DIGIT = Regex.chars(CodePointSet.range('1', '9'));
    private static final Regex HEX = Regex.chars(CodePointSet.ofRanges('0', '9', 'a', 'f', 'A', 'F'));

    /** One character of string content, as written in JSON. */
    static final Regex STRING_CHAR = Regex.alt(
            Regex.chars(STRING_SAFE),
            Regex.seq(Regex.literal("\\"), Regex.alt(
                    Regex.chars(CodePointSet.ofChars("\"\\/bfnrt")),
                    Regex.seq(Regex.literal("u"), Regex.alt(
                            Regex.seq(Regex.chars(CodePointSet.ofRanges('0', '9', 'a', 'c', 'A', 'C', 'e', 'f', 'E', 'F')), Regex.repeat(HEX, 3, 3)),
                            Regex.seq(Regex.chars(CodePointSet.ofChars("dD")), Regex.chars(CodePointSet.range('0', '7')), Regex.repeat(HEX, 2, 2)))))));

    static final Regex QUOTE = Regex.literal("\"");
    static final Regex STRING = Regex.seq(QUOTE, Regex.star(STRING_CHAR), QUOTE);
    /** Digits of a natural number without leading zeros: {@code 0|[1-9][0-9]*}. */
    static final Regex NATURAL = Regex.alt(Regex.literal("0"), Regex.seq(NONZERO_DIGIT, Regex.star(DIGIT)));
    static final Regex INTEGER = Regex.seq(Regex.optional(Regex.literal("-")), NATURAL);
    static final Regex FRACTION = Regex.seq(Regex.literal("."), Regex.plus(DIGIT));
    static final Regex EXPONENT = Regex.seq(Regex.chars(CodePointSet.ofChars("eE")), Regex.optional(Regex.chars(CodePointSet.ofChars("+-"))),
            Regex.plus(DIGIT));
    static final Regex NUMBER = Regex.seq(INTEGER, Regex.optional(FRACTION), Regex.optional(EXPONENT));
    static final Regex BOOLEAN = Regex.alt(Regex.literal("true"), Regex.literal("false"));
    static final Regex NULL = Regex.literal("null");
    static final Regex SCALAR = Regex.alt(STRING, NUMBER, BOOLEAN, NULL);

    private JsonTokens() {}

    /** A string of {@code min..max} characters ({@code max} may be {@link Regex#UNBOUNDED}). */
    static Regex string(int min, int max) {
        return Regex.seq(QUOTE, Regex.repeat(STRING_CHAR, min, max), QUOTE);
    }

    /** {@code open ws [item (ws , ws item){min-1,max-1} ws] close}; {@code item} appears twice (shared). */
    static Regex list(String open, String close, Regex item, int min, int max, Regex ws) {
        if (max == 0) return Regex.seq(Regex.literal(open), ws, Regex.literal(close));
        Regex more = Regex.repeat(Regex.seq(ws, Regex.literal(","), ws, item), Math.max(0, min - 1),
                max == Regex.UNBOUNDED ? Regex.UNBOUNDED : max - 1);
        Regex items = Regex.seq(item, more, ws);
        return Regex.seq(Regex.literal(open), ws, min == 0 ? Regex.optional(items) : items, Regex.literal(close));
    }

    /** Any JSON value with arrays/objects nested at most {@code depth} deep (0 = scalars only). */
    static Regex anyValue(int depth, Regex ws) {
        Regex value = SCALAR;
        for (int d = 1; d <= depth; d++) value = Regex.alt(SCALAR, anyObject(value, ws), Regex.seq(list("[", "]", value, 0, Regex.UNBOUNDED, ws)));
        return value;
    }

    /** An object with any keys whose values match {@code value}. */
    static Regex anyObject(Regex value, Regex ws) {
        Regex member = Regex.seq(STRING, ws, Regex.literal(":"), ws, value);
        return list("{", "}", member, 0, Regex.UNBOUNDED, ws);
    }
}
