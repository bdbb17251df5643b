package org.sglang4j.grammar.json;

import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/**
 * A number schema's bounds from {@code minimum}/{@code maximum} and {@code exclusiveMinimum}/{@code
 * exclusiveMaximum} (numbers since draft 6, booleans modifying minimum/maximum in draft 4); the stricter one wins.
 */
record Bounds(BigDecimal lo, boolean loExclusive, BigDecimal hi, boolean hiExclusive) {

    boolean isNone() {
        return lo == null && hi == null;
    }

    static Bounds of(JsonNode s, String path) {
        BigDecimal lo = null, hi = null;
        boolean loEx = false, hiEx = false;
        JsonNode exMin = s.get("exclusiveMinimum"), exMax = s.get("exclusiveMaximum");
        boolean draft4ExMin = exMin != null && exMin.isBoolean() && exMin.booleanValue();
        boolean draft4ExMax = exMax != null && exMax.isBoolean() && exMax.booleanValue();
        if (s.has("minimum")) {
            lo = number(s, "minimum", path);
            loEx = draft4ExMin;
        }
        if (s.has("maximum")) {
            hi = number(s, "maximum", path);
            hiEx = draft4ExMax;
        }
        if (exMin != null && !exMin.isBoolean()) {
            BigDecimal v = number(s, "exclusiveMinimum", path);
            if (lo == null || v.compareTo(lo) >= 0) {
                lo = v;
                loEx = true;
            }
        }
        if (exMax != null && !exMax.isBoolean()) {
            BigDecimal v = number(s, "exclusiveMaximum", path);
            if (hi == null || v.compareTo(hi) <= 0) {
                hi = v;
                hiEx = true;
            }
        }
        return new Bounds(lo, loEx, hi, hiEx);
    }

    private static BigDecimal number(JsonNode s, String keyword, String path) {
        JsonNode n = s.get(keyword);
        if (!n.isNumber()) throw JsonSchemaConverter.invalid(path, "'" + keyword + "' must be a number, got " + n);
        return n.decimalValue();
    }
}
