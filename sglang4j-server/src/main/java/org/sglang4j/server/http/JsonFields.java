package org.sglang4j.server.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Typed, checked access to the fields of one JSON request object. Every wrong type or bad value becomes a 400 that
 * names the field by its full path ({@code sampling_params.max_new_tokens}) and shows what was sent, so a client
 * can fix the request from the message alone. Absent and {@code null} fields read as "not given".
 */
public final class JsonFields {

    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** {@code what} names the object in errors: "" for the request body, else a path such as "sampling_params". */
    public static JsonFields of(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            String name = what.isEmpty() ? "request body" : what;
            throw ApiException.badRequest(what.isEmpty() ? null : what,
                    name + " must be a JSON object, got " + describe(node));
        }
        return new JsonFields(node, what);
    }

    public JsonNode node() {
        return node;
    }

    /** Full path of a field, for error messages and {@code param}. */
    public String pathOf(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    /** The raw value, or null when absent or JSON null. */
    public JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public Collection<String> names() {
        return node.propertyNames();
    }

    /** Rejects fields outside {@code known} (typos must not be silently ignored). */
    public void rejectUnknown(Collection<String> known) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) throw bad(name, "unknown field '" + pathOf(name) + "'");
        }
    }

    public Integer optInt(String field) {
        JsonNode v = get(field);
        return v == null ? null : toInt(v, pathOf(field));
    }

    public int getInt(String field, int dflt) {
        Integer v = optInt(field);
        return v == null ? dflt : v;
    }

    public Long optLong(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!isIntegral(v) || !v.canConvertToLong()) throw bad(field, "must be an integer", v);
        return v.asLong();
    }

    public Double optDouble(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isNumber()) throw bad(field, "must be a number", v);
        double d = v.asDouble();
        if (!Double.isFinite(d)) throw bad(field, "must be a finite number", v);
        return d;
    }

    public Float optFloat(String field) {
        Double d = optDouble(field);
        return d == null ? null : d.floatValue();
    }

    public Boolean optBool(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isBoolean()) throw bad(field, "must be true or false", v);
        return v.asBoolean();
    }

    public boolean getBool(String field, boolean dflt) {
        Boolean v = optBool(field);
        return v == null ? dflt : v;
    }

    public String optString(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isString()) throw bad(field, "must be a string", v);
        return v.asString();
    }

    /** A string or a list of strings (OpenAI {@code stop}); null when absent. */
    public List<String> optStringOrList(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (v.isString()) return List.of(v.asString());
        if (!v.isArray()) throw bad(field, "must be a string or a list of strings", v);
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isString()) throw bad(field, "must be a string or a list of strings", v);
            out.add(e.asString());
        }
        return out;
    }

    public List<String> optStringList(String field) {
        JsonNode v = get(field);
        if (v == null) return null;
        if (!v.isArray()) throw bad(field, "must be a list of strings", v);
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isString()) throw bad(field, "must be a list of strings", v);
            out.add(e.asString());
        }
        return out;
    }

    public int[] optIntArray(String field) {
        JsonNode v = get(field);
        return v == null ? null : toIntArray(v, pathOf(field));
    }

    public JsonFields optObject(String field) {
        JsonNode v = get(field);
        return v == null ? null : JsonFields.of(v, pathOf(field));
    }

    /** A JSON object of string keys to numbers ({@code logit_bias}). */
    public Map<String, Double> optNumberMap(String field) {
        JsonFields obj = optObject(field);
        if (obj == null) return null;
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (String k : obj.names()) {
            Double d = obj.optDouble(k);
            if (d != null) out.put(k, d);
        }
        return out;
    }

    public ApiException bad(String field, String message) {
        return ApiException.badRequest(pathOf(field), message);
    }

    public ApiException bad(String field, String requirement, JsonNode got) {
        return ApiException.badRequest(pathOf(field), pathOf(field) + " " + requirement + ", got " + describe(got));
    }

    static boolean isIntegral(JsonNode v) {
        if (v.isIntegralNumber()) return true;
        // JSON has one number type; 16.0 is accepted as 16, as pydantic does for int fields.
        return v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble()) && Double.isFinite(v.asDouble());
    }

    public static int toInt(JsonNode v, String fullPath) {
        if (!v.isNumber() || !isIntegral(v)) {
            throw ApiException.badRequest(fullPath, fullPath + " must be an integer, got " + describe(v));
        }
        double d = v.asDouble();
        if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE || (v.isIntegralNumber() && !v.canConvertToInt())) {
            throw ApiException.badRequest(fullPath, fullPath + " is out of range for a 32-bit integer, got " + describe(v));
        }
        return v.isIntegralNumber() ? v.asInt() : (int) d;
    }

    public static int[] toIntArray(JsonNode v, String fullPath) {
        if (!v.isArray()) throw ApiException.badRequest(fullPath, fullPath + " must be a list of integers, got " + describe(v));
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) out[i] = toInt(v.get(i), fullPath + "[" + i + "]");
        return out;
    }

    /** A short rendering of what the client sent, for error messages. */
    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) return "nothing";
        if (v.isNull()) return "null";
        String text = v.toString();
        String kind = switch (v.getNodeType()) {
            case STRING -> "string ";
            case ARRAY -> "list ";
            case OBJECT -> "object ";
            case BOOLEAN -> "boolean ";
            default -> "";
        };
        return kind + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
    }
}
