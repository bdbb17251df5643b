package org.sglang4j.grammar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random JSON schemas over the supported keywords, nested up to three levels, with property names that need JSON
 * escapes or are Chinese (the case study's pitfall 5.2).
 */
final class RandomSchemas {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] KEYS = {"id", "name", "订单号", "状态", "处理意见", "a b", "quote\"d", "back\\slash", "tab\t", "emoji😀", "é", "x"};
    private static final String[] WORDS = {"ok", "退款", "shipped", "a\"b", "line\nbreak", "😀", ""};
    private static final String[] PATTERNS = {"^[A-Z]{2}[0-9]{6}$", "^[a-z]+(-[a-z]+)*$", "^[\\u4e00-\\u9fa5]{1,4}$", "\\d{3}", "^(yes|no)$"};
    private static final String[] FORMATS = {"date", "date-time", "time", "email", "uuid", "ipv4", "hostname"};

    private RandomSchemas() {}

    static String generate(Random r) {
        return schema(r, 0).toString();
    }

    private static ObjectNode schema(Random r, int depth) {
        ObjectNode s = F.objectNode();
        switch (r.nextInt(depth >= 2 ? 6 : 9)) {
            case 0 -> string(r, s);
            case 1 -> {
                s.put("type", "integer");
                long lo = r.nextInt(201) - 100;
                if (r.nextBoolean()) s.put(r.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
                if (r.nextBoolean()) s.put(r.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 2 + r.nextInt(300));
            }
            case 2 -> {
                s.put("type", "number");
                long lo = r.nextInt(21) - 10;
                if (r.nextBoolean()) s.put(r.nextBoolean() ? "minimum" : "exclusiveMinimum", lo);
                if (r.nextBoolean()) s.put(r.nextBoolean() ? "maximum" : "exclusiveMaximum", lo + 1 + r.nextInt(20));
            }
            case 3 -> s.put("type", "boolean");
            case 4 -> s.put("type", r.nextBoolean() ? "null" : "string");
            case 5 -> {
                ArrayNode values = s.putArray("enum");
                for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
                    switch (r.nextInt(4)) {
                        case 0 -> values.add(WORDS[r.nextInt(WORDS.length)]);
                        case 1 -> values.add(r.nextInt(2000) - 1000);
                        case 2 -> values.add(r.nextBoolean());
                        default -> values.addNull();
                    }
                }
            }
            case 6, 7 -> object(r, s, depth);
            case 8 -> {
                s.put("type", "array");
                s.set("items", schema(r, depth + 1));
                int min = r.nextInt(3);
                if (min > 0) s.put("minItems", min);
                if (r.nextBoolean()) s.put("maxItems", min + r.nextInt(3));
            }
            default -> throw new IllegalStateException();
        }
        if (depth > 0 && r.nextInt(8) == 0) {
            ObjectNode any = F.objectNode();
            any.putArray("anyOf").add(s).add(schema(r, depth + 1));
            return any;
        }
        return s;
    }

    private static void string(Random r, ObjectNode s) {
        s.put("type", "string");
        switch (r.nextInt(4)) {
            case 0 -> {
                int min = r.nextInt(3);
                if (min > 0) s.put("minLength", min);
                if (r.nextBoolean()) s.put("maxLength", min + r.nextInt(6));
            }
            case 1 -> s.put("pattern", PATTERNS[r.nextInt(PATTERNS.length)]);
            case 2 -> s.put("format", FORMATS[r.nextInt(FORMATS.length)]);
            default -> { }
        }
    }

    private static void object(Random r, ObjectNode s, int depth) {
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        List<String> keys = new ArrayList<>(List.of(KEYS));
        Collections.shuffle(keys, r);
        ArrayNode required = s.putArray("required");
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
            props.set(keys.get(i), schema(r, depth + 1));
            if (r.nextInt(3) > 0) required.add(keys.get(i));
        }
        if (r.nextBoolean()) s.put("additionalProperties", false);
    }
}
