package org.sglang4j.grammar.json;

import java.util.List;
import org.sglang4j.grammar.regex.Regex;

/**
 * Restricts a {@code pattern} to characters that appear in a JSON string as themselves. The pattern describes the
 * decoded value; without escapes the encoded text is the value, so matching the text matches the value. (Values
 * that would need {@code \"} or {@code \n} are left out — a safe under-approximation.)
 */
final class UnescapedText {
    private UnescapedText() {}

    static Regex restrict(Regex r) {
        return switch (r) {
            case Regex.Chars c -> Regex.chars(c.set().intersect(JsonTokens.STRING_SAFE));
            case Regex.Concat c -> new Regex.Concat(map(c.parts()));
            case Regex.Alt a -> new Regex.Alt(map(a.options()));
            case Regex.Repeat rep -> new Regex.Repeat(restrict(rep.inner()), rep.min(), rep.max());
            case Regex.Intersection in -> new Regex.Intersection(map(in.parts()));
            case Regex.ExactlyOne one -> new Regex.ExactlyOne(map(one.options()));
        };
    }

    private static List<Regex> map(List<Regex> parts) {
        return parts.stream().map(UnescapedText::restrict).toList();
    }
}
