package org.sglang4j.grammar.regex;

import java.util.ArrayList;
import java.util.List;

/**
 * A regular expression as a tree: what {@link RegexParser} produces from user text and what the JSON Schema
 * converter builds directly. Matching is always of the whole output, so there are no anchors; the alphabet is
 * Unicode scalar values.
 */
public sealed interface Regex {
    int UNBOUNDED = -1;

    /** Matches nothing (an alternation of no options). */
    Regex NOTHING = new Alt(List.of());
    /** Matches only the empty string. */
    Regex EMPTY_STRING = new Concat(List.of());

    /** One code point from {@code set}. */
    record Chars(CodePointSet set) implements Regex {}

    record Concat(List<Regex> parts) implements Regex {
        public Concat {
            parts = List.copyOf(parts);
        }
    }

    record Alt(List<Regex> options) implements Regex {
        public Alt {
            options = List.copyOf(options);
        }
    }

    /** {@code inner{min,max}}; {@code max == UNBOUNDED} for no upper bound. */
    record Repeat(Regex inner, int min, int max) implements Regex {
        public Repeat {
            if (min < 0 || (max != UNBOUNDED && max < min)) throw new IllegalArgumentException("bad repeat {" + min + "," + max + "}");
        }
    }

    /** Strings matched by every part (used for a JSON string with both a pattern and a length bound). */
    record Intersection(List<Regex> parts) implements Regex {
        public Intersection {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) throw new IllegalArgumentException("empty intersection");
        }
    }

    /** Strings matched by exactly one option (JSON Schema's {@code oneOf}). */
    record ExactlyOne(List<Regex> options) implements Regex {
        public ExactlyOne {
            options = List.copyOf(options);
            if (options.isEmpty()) throw new IllegalArgumentException("empty oneOf");
        }
    }

    static Regex chars(CodePointSet set) {
        return new Chars(set);
    }

    static Regex literal(String text) {
        List<Regex> parts = new ArrayList<>();
        text.codePoints().forEach(cp -> parts.add(new Chars(CodePointSet.of(cp))));
        return parts.size() == 1 ? parts.getFirst() : new Concat(parts);
    }

    static Regex seq(Regex... parts) {
        return seq(List.of(parts));
    }

    /** Concatenation, flattening nested concatenations. */
    static Regex seq(List<Regex> parts) {
        List<Regex> flat = new ArrayList<>();
        for (Regex p : parts) {
            if (p instanceof Concat c) flat.addAll(c.parts());
            else flat.add(p);
        }
        return flat.size() == 1 ? flat.getFirst() : new Concat(flat);
    }

    static Regex alt(Regex... options) {
        return alt(List.of(options));
    }

    static Regex alt(List<Regex> options) {
        return options.size() == 1 ? options.getFirst() : new Alt(options);
    }

    static Regex optional(Regex r) {
        return new Repeat(r, 0, 1);
    }

    static Regex star(Regex r) {
        return new Repeat(r, 0, UNBOUNDED);
    }

    static Regex plus(Regex r) {
        return new Repeat(r, 1, UNBOUNDED);
    }

    static Regex repeat(Regex r, int min, int max) {
        return new Repeat(r, min, max);
    }

    /** Python/Java-compatible pattern text for this tree (for messages, logs and tests). */
    default String toPattern() {
        return RegexPrinter.print(this);
    }
}
