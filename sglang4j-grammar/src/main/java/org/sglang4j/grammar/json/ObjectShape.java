package org.sglang4j.grammar.json;

import java.util.List;
import org.sglang4j.grammar.regex.Regex;

/**
 * The regex of an object with known properties in a fixed order, where optional ones may be skipped and commas
 * must still come out right. With {@code after[i]} = "properties i.. when one was already written" and
 * {@code first[i]} = "properties i.. when none was written yet":
 * <pre>
 *   after[i] = (ws , ws member_i)? after[i+1]       (member_i optional)
 *            =  ws , ws member_i  after[i+1]        (required)
 *   first[i] = member_i after[i+1] | first[i+1]     (optional)
 *            = member_i after[i+1]                  (required)
 *   object   = { ws first[0] ws }
 * </pre>
 * {@code after[i+1]} is shared by two parents, so the automaton builder minimizes it once.
 */
final class ObjectShape {
    /** {@code name} is the key with the colon and surrounding whitespace; {@code value} the value regex. */
    record Member(Regex name, Regex value, boolean required) {}

    private ObjectShape() {}

    static Regex regex(List<Member> members, Regex ws) {
        int n = members.size();
        Regex sep = Regex.seq(ws, Regex.literal(","), ws);
        Regex after = Regex.EMPTY_STRING, first = Regex.EMPTY_STRING;
        for (int i = n - 1; i >= 0; i--) {
            Member m = members.get(i);
            Regex member = Regex.seq(m.name(), m.value());
            // new Concat, not Regex.seq: flattening would hide that `after` is shared.
            Regex withRest = new Regex.Concat(List.of(member, after));
            first = m.required() ? withRest : Regex.alt(withRest, first);
            after = new Regex.Concat(List.of(m.required() ? Regex.seq(sep, member) : Regex.optional(Regex.seq(sep, member)), after));
        }
        return Regex.seq(Regex.literal("{"), ws, first, ws, Regex.literal("}"));
    }
}
