package org.sglang4j.core.sampling;

import java.util.List;

/**
 * What constrained decoding must enforce on a request's output (SGLang: {@code regex}, {@code json_schema},
 * {@code ebnf}, plus {@code choices}). At most one per request.
 */
public sealed interface Constraint {

    /** Cache key for compiled grammars: kind + source text. */
    String key();

    record Regex(String pattern) implements Constraint {
        public String key() { return "regex:" + pattern; }
    }

    /** A JSON Schema document (JSON text). */
    record JsonSchema(String schema) implements Constraint {
        public String key() { return "json_schema:" + schema; }
    }

    /**
     * Any JSON object ({@code response_format: json_object}; SGLang compiles it as {@code {"type":"object"}}), with
     * values nested to a bounded depth.
     */
    record JsonObject() implements Constraint {
        public String key() { return "json_object"; }
    }

    /** Exactly one of the given strings. */
    record Choices(List<String> choices) implements Constraint {
        public Choices {
            choices = List.copyOf(choices);
        }

        /** Each choice length-prefixed, so no two different lists share a key (e.g. {@code []} vs {@code [""]}). */
        public String key() {
            StringBuilder sb = new StringBuilder("choices:");
            for (String c : choices) sb.append(c.length()).append(':').append(c);
            return sb.toString();
        }
    }

    record Ebnf(String grammar) implements Constraint {
        public String key() { return "ebnf:" + grammar; }
    }
}
