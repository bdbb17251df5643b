package org.sglang4j.grammar.json;

import java.util.List;
import org.sglang4j.grammar.regex.Regex;

/**
 * A JSON object with known properties in a fixed order: {@code { ws members ws }} where the members are a
 * {@link Regex.Separated} (required ones always written, optional ones possibly skipped, commas only between
 * written ones).
 */
final class ObjectShape {
    /** {@code name} is the key with the colon and surrounding whitespace; {@code value} the value regex. */
    record Member(Regex name, Regex value, boolean required) {}

    private ObjectShape() {}

    static Regex regex(List<Member> members, Regex ws) {
        Regex members_ = new Regex.Separated(members.stream().map(m -> Regex.seq(m.name(), m.value())).toList(),
                members.stream().map(Member::required).toList(), Regex.seq(ws, Regex.literal(","), ws));
        return Regex.seq(Regex.literal("{"), ws, members_, ws, Regex.literal("}"));
    }
}
