package org.sglang4j.grammar.json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.GrammarConfig;
import org.sglang4j.grammar.GrammarException;
import org.sglang4j.grammar.regex.Regex;
import org.sglang4j.grammar.regex.RegexParser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Schema → {@link Regex} (the Outlines approach): the regex matches exactly the JSON texts we let the model
 * write, all of which validate. Objects list their properties in schema order (required ones always, optional
 * ones possibly skipped) with compact separators and the configured whitespace; keywords that narrow values
 * ({@code enum}, {@code const}, lengths, bounds, {@code pattern}, {@code format}) are enforced exactly. A
 * {@code pattern} is matched against the whole string (a stricter reading of JSON Schema's search semantics) and
 * only with characters that need no JSON escape. A recursive {@code $ref} is expanded {@code maxRefDepth} times,
 * then that branch is cut. Keywords that cannot be enforced this way fail with a {@link GrammarException} naming
 * the keyword and where it is, rather than being silently ignored. {@code oneOf} is exact: where branches overlap,
 * the overlap is removed, so an output never matches two branches.
 */
public final class JsonSchemaConverter {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    /** Keywords that do not constrain the value. */
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples", "$comment",
            "$schema", "$id", "$anchor", "$defs", "definitions", "deprecated", "readOnly", "writeOnly",
            "contentEncoding", "contentMediaType",
            // OpenAPI's nullable is no JSON Schema keyword: never writing null is valid under both readings.
            "nullable");
    private static final Set<String> OBJECT_KEYWORDS = Set.of("properties", "required", "additionalProperties");
    private static final Set<String> ARRAY_KEYWORDS = Set.of("items", "prefixItems", "minItems", "maxItems", "uniqueItems");
    private static final Set<String> STRING_KEYWORDS = Set.of("minLength", "maxLength", "pattern", "format");
    private static final Set<String> NUMBER_KEYWORDS = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    private static final Set<String> COMBINATORS = Set.of("$ref", "anyOf", "oneOf", "allOf");
    private static final Set<String> VALUE_KEYWORDS = Set.of("type", "enum", "const");
    private static final long BOUND_LIMIT = 1_000_000_000_000_000_000L;

    private final JsonNode root;
    private final GrammarConfig config;
    private final Regex ws;
    private final Deadline deadline;
    private final Map<String, Integer> expanding = new HashMap<>();
    private final Map<String, Regex> refCache = new HashMap<>();
    private boolean cutOff; // a recursive $ref was cut inside the expansion in progress
    private Regex anyValue;

    private JsonSchemaConverter(JsonNode root, GrammarConfig config, Deadline deadline) {
        this.root = root;
        this.config = config;
        this.ws = RegexParser.parse(config.jsonWhitespacePattern());
        this.deadline = deadline;
    }

    /** The regex of JSON texts valid under {@code schemaText}. */
    public static Regex fromSchema(String schemaText, GrammarConfig config, Deadline deadline) {
        JsonNode schema;
        try {
            schema = MAPPER.readTree(schemaText);
        } catch (JacksonException e) {
            throw new GrammarException("invalid JSON schema: not valid JSON: " + e.getOriginalMessage());
        }
        if (schema == null || schema.isMissingNode()) throw new GrammarException("invalid JSON schema: empty document");
        return new JsonSchemaConverter(schema, config, deadline).value(schema, "#");
    }

    /** {@code json_object} mode: an object whose values are any JSON, nested up to {@code jsonObjectMaxDepth}. */
    public static Regex anyJsonObject(GrammarConfig config) {
        Regex ws = RegexParser.parse(config.jsonWhitespacePattern());
        return JsonTokens.anyObject(JsonTokens.anyValue(config.jsonObjectMaxDepth() - 1, ws), ws);
    }

    private Regex value(JsonNode s, String path) {
        deadline.check("converting the JSON schema");
        if (s.isBoolean()) return s.booleanValue() ? any() : Regex.NOTHING;
        if (!s.isObject()) throw invalid(path, "a schema must be an object or a boolean, not " + s.getNodeType().name().toLowerCase());
        for (String k : s.propertyNames()) {
            boolean known = ANNOTATIONS.contains(k) || OBJECT_KEYWORDS.contains(k) || ARRAY_KEYWORDS.contains(k)
                    || STRING_KEYWORDS.contains(k) || NUMBER_KEYWORDS.contains(k) || COMBINATORS.contains(k) || VALUE_KEYWORDS.contains(k);
            if (!known || k.equals("uniqueItems") && s.get(k).asBoolean(true)) {
                throw new GrammarException("unsupported JSON Schema keyword '" + k + "' at " + path);
            }
        }
        for (String c : COMBINATORS) {
            if (!s.has(c)) continue;
            for (String k : s.propertyNames()) {
                if (!k.equals(c) && !ANNOTATIONS.contains(k)) {
                    throw new GrammarException("'" + c + "' together with '" + k + "' at " + path
                            + " is not supported; move '" + k + "' into the referenced or listed schemas");
                }
            }
        }
        if (s.has("$ref")) return ref(s.get("$ref"), path);
        if (s.has("anyOf")) return Regex.alt(branches(s, "anyOf", path));
        if (s.has("oneOf")) {
            List<Regex> options = branches(s, "oneOf", path);
            return options.size() == 1 ? options.getFirst() : new Regex.ExactlyOne(options);
        }
        if (s.has("allOf")) return allOf(s, path);
        if (s.has("const")) return literal(s.get("const"));
        if (s.has("enum")) return enumeration(s, path);
        return typed(s, path);
    }

    private Regex any() {
        if (anyValue == null) anyValue = JsonTokens.anyValue(config.jsonObjectMaxDepth(), ws);
        return anyValue;
    }

    private List<Regex> branches(JsonNode s, String keyword, String path) {
        JsonNode list = s.get(keyword);
        if (!list.isArray() || list.isEmpty()) throw invalid(path, "'" + keyword + "' must be a non-empty array of schemas");
        List<Regex> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) out.add(value(list.get(i), path + "/" + keyword + "/" + i));
        return out;
    }

    private Regex allOf(JsonNode s, String path) {
        List<Regex> parts = branches(s, "allOf", path);
        if (parts.size() > 1) throw new GrammarException("'allOf' with more than one schema at " + path + " is not supported");
        return parts.getFirst();
    }

    private Regex ref(JsonNode refNode, String path) {
        if (!refNode.isString()) throw invalid(path, "'$ref' must be a string");
        String ref = refNode.stringValue();
        if (!ref.startsWith("#")) throw new GrammarException("only local '$ref' (starting with #) are supported, got '" + ref + "' at " + path);
        Regex cached = refCache.get(ref);
        if (cached != null) return cached;
        if (expanding.getOrDefault(ref, 0) >= config.maxRefDepth()) {
            cutOff = true;
            return Regex.NOTHING;
        }
        JsonNode target;
        try {
            target = root.at(java.net.URLDecoder.decode(ref.substring(1), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw invalid(path, "'$ref' '" + ref + "' is not a valid JSON pointer");
        }
        if (target.isMissingNode()) throw invalid(path, "'$ref' '" + ref + "' does not resolve to a schema");
        boolean outerCut = cutOff;
        cutOff = false;
        expanding.merge(ref, 1, Integer::sum);
        Regex r = value(target, ref);
        expanding.merge(ref, -1, Integer::sum);
        if (!cutOff) refCache.put(ref, r);
        cutOff |= outerCut;
        return r;
    }

    private Regex enumeration(JsonNode s, String path) {
        JsonNode values = s.get("enum");
        if (!values.isArray() || values.isEmpty()) throw invalid(path, "'enum' must be a non-empty array");
        List<String> types = types(s, path);
        List<Regex> options = new ArrayList<>();
        for (JsonNode v : values) if (types == null || types.stream().anyMatch(t -> hasType(v, t))) options.add(literal(v));
        if (options.isEmpty()) throw invalid(path, "no 'enum' value has the schema's 'type' " + types);
        return Regex.alt(options);
    }

    private static Regex literal(JsonNode v) {
        return Regex.literal(MAPPER.writeValueAsString(v));
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "string" -> v.isString();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            default -> false;
        };
    }

    /** The schema's types: its 'type', else inferred from type-specific keywords, else null (any value). */
    private static List<String> types(JsonNode s, String path) {
        JsonNode t = s.get("type");
        if (t != null) {
            List<String> out = new ArrayList<>();
            if (t.isString()) out.add(t.stringValue());
            else if (t.isArray() && !t.isEmpty()) t.forEach(x -> out.add(x.asString()));
            else throw invalid(path, "'type' must be a string or a non-empty array of strings");
            return out;
        }
        Set<String> inferred = new LinkedHashSet<>();
        for (String k : s.propertyNames()) {
            if (OBJECT_KEYWORDS.contains(k)) inferred.add("object");
            if (ARRAY_KEYWORDS.contains(k) && !k.equals("uniqueItems")) inferred.add("array");
            if (STRING_KEYWORDS.contains(k)) inferred.add("string");
            if (NUMBER_KEYWORDS.contains(k)) inferred.add("number");
        }
        return inferred.isEmpty() ? null : List.copyOf(inferred);
    }

    private Regex typed(JsonNode s, String path) {
        List<String> types = types(s, path);
        if (types == null) return any();
        List<Regex> options = new ArrayList<>();
        for (String t : new LinkedHashSet<>(types)) {
            options.add(switch (t) {
                case "string" -> string(s, path);
                case "integer" -> integer(s, path);
                case "number" -> number(s, path);
                case "boolean" -> JsonTokens.BOOLEAN;
                case "null" -> JsonTokens.NULL;
                case "object" -> object(s, path);
                case "array" -> array(s, path);
                default -> throw invalid(path, "unknown type '" + t + "'");
            });
        }
        return Regex.alt(options);
    }

    private Regex object(JsonNode s, String path) {
        JsonNode props = s.path("properties");
        if (!props.isMissingNode() && !props.isObject()) throw invalid(path, "'properties' must be an object");
        Set<String> required = new LinkedHashSet<>();
        JsonNode req = s.path("required");
        if (!req.isMissingNode()) {
            if (!req.isArray()) throw invalid(path, "'required' must be an array of strings");
            for (JsonNode r : req) {
                if (!r.isString()) throw invalid(path, "'required' must be an array of strings");
                required.add(r.stringValue());
            }
        }
        JsonNode additional = s.get("additionalProperties");
        boolean noAdditional = additional != null && additional.isBoolean() && !additional.booleanValue();
        List<ObjectShape.Member> members = new ArrayList<>();
        for (String name : props.propertyNames()) {
            members.add(new ObjectShape.Member(key(name), value(props.get(name), path + "/properties/" + name), required.contains(name)));
        }
        for (String name : required) {
            if (props.has(name)) continue;
            if (noAdditional) throw invalid(path, "required property '" + name + "' is not in 'properties' and 'additionalProperties' is false");
            members.add(new ObjectShape.Member(key(name), additionalValue(additional, path), true));
        }
        if (members.isEmpty() && !noAdditional) {
            return JsonTokens.anyObject(additionalValue(additional, path), ws);
        }
        return ObjectShape.regex(members, ws);
    }

    private Regex additionalValue(JsonNode additional, String path) {
        if (additional == null || additional.isBoolean()) return JsonTokens.anyValue(config.jsonObjectMaxDepth() - 1, ws);
        return value(additional, path + "/additionalProperties");
    }

    private Regex key(String name) {
        return Regex.seq(literal(MAPPER.getNodeFactory().stringNode(name)), ws, Regex.literal(":"), ws);
    }

    private Regex array(JsonNode s, String path) {
        int min = count(s, "minItems", 0, path);
        int max = count(s, "maxItems", Regex.UNBOUNDED, path);
        if (max != Regex.UNBOUNDED && max < min) throw invalid(path, "'maxItems' " + max + " is below 'minItems' " + min);
        JsonNode itemsNode = s.get("items");
        boolean noMore = itemsNode != null && itemsNode.isBoolean() && !itemsNode.booleanValue();
        Regex item = itemsNode == null || noMore ? any() : value(itemsNode, path + "/items");
        JsonNode prefixNode = s.get("prefixItems");
        if (prefixNode == null) return JsonTokens.list("[", "]", item, min, noMore ? 0 : max, ws);
        if (!prefixNode.isArray()) throw invalid(path, "'prefixItems' must be an array of schemas");
        // Prefix items are always written (the array may legally be shorter; we never generate that).
        int p = max == Regex.UNBOUNDED ? prefixNode.size() : Math.min(prefixNode.size(), max);
        if (p == 0) return JsonTokens.list("[", "]", item, min, noMore ? 0 : max, ws);
        Regex sep = Regex.seq(ws, Regex.literal(","), ws);
        List<Regex> parts = new ArrayList<>();
        parts.add(Regex.literal("["));
        parts.add(ws);
        for (int i = 0; i < p; i++) {
            if (i > 0) parts.add(sep);
            parts.add(value(prefixNode.get(i), path + "/prefixItems/" + i));
        }
        int restMin = Math.max(0, min - p);
        int restMax = noMore ? 0 : max == Regex.UNBOUNDED ? Regex.UNBOUNDED : max - p;
        if (restMin > 0 && noMore) throw invalid(path, "'minItems' " + min + " needs more items than 'prefixItems' allows");
        if (restMax != 0) parts.add(Regex.repeat(Regex.seq(sep, item), restMin, restMax));
        parts.add(ws);
        parts.add(Regex.literal("]"));
        return Regex.seq(parts);
    }

    private Regex string(JsonNode s, String path) {
        int min = count(s, "minLength", 0, path);
        int max = count(s, "maxLength", Regex.UNBOUNDED, path);
        if (max != Regex.UNBOUNDED && max < min) throw invalid(path, "'maxLength' " + max + " is below 'minLength' " + min);
        JsonNode pattern = s.get("pattern"), format = s.get("format");
        if (pattern == null && format == null) return JsonTokens.string(min, max);
        List<Regex> parts = new ArrayList<>();
        if (pattern != null) {
            if (!pattern.isString()) throw invalid(path, "'pattern' must be a string");
            try {
                parts.add(UnescapedText.restrict(RegexParser.parse(pattern.stringValue())));
            } catch (GrammarException e) {
                throw new GrammarException("'pattern' at " + path + ": " + e.getMessage());
            }
        }
        if (format != null) {
            if (!format.isString()) throw invalid(path, "'format' must be a string");
            parts.add(StringFormats.of(format.stringValue(), path));
        }
        if (min > 0 || max != Regex.UNBOUNDED) parts.add(Regex.repeat(Regex.chars(JsonTokens.STRING_SAFE), min, max));
        Regex content = parts.size() == 1 ? parts.getFirst() : new Regex.Intersection(parts);
        return Regex.seq(JsonTokens.QUOTE, content, JsonTokens.QUOTE);
    }

    private Regex integer(JsonNode s, String path) {
        Bounds b = Bounds.of(s, path);
        if (b.isNone()) return JsonTokens.INTEGER;
        Long lo = b.lo() == null ? null : clamp(b.loExclusive() ? b.lo().setScale(0, RoundingMode.FLOOR).longValueExact() + 1
                : b.lo().setScale(0, RoundingMode.CEILING).longValueExact());
        Long hi = b.hi() == null ? null : clamp(b.hiExclusive() ? b.hi().setScale(0, RoundingMode.CEILING).longValueExact() - 1
                : b.hi().setScale(0, RoundingMode.FLOOR).longValueExact());
        return NumberRanges.integers(lo, hi);
    }

    private Regex number(JsonNode s, String path) {
        Bounds b = Bounds.of(s, path);
        if (b.isNone()) return JsonTokens.NUMBER;
        for (BigDecimal v : new BigDecimal[] {b.lo(), b.hi()}) {
            if (v != null && v.stripTrailingZeros().scale() > 0) {
                throw new GrammarException("bounds with a fractional part (" + v.toPlainString() + ") on a 'number' at " + path
                        + " are not supported; use whole-number bounds or type 'integer'");
            }
        }
        return NumberRanges.decimals(b.lo() == null ? null : clamp(b.lo().longValueExact()), b.loExclusive(),
                b.hi() == null ? null : clamp(b.hi().longValueExact()), b.hiExclusive());
    }

    private static Long clamp(long v) {
        if (Math.abs(v) > BOUND_LIMIT) throw new GrammarException("numeric bound " + v + " is beyond ±10^18, which is not supported");
        return v;
    }

    private static int count(JsonNode s, String keyword, int dflt, String path) {
        JsonNode n = s.get(keyword);
        if (n == null) return dflt;
        if (!n.isIntegralNumber() && !(n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0) || n.decimalValue().signum() < 0) {
            throw invalid(path, "'" + keyword + "' must be a non-negative integer, got " + n);
        }
        if (n.decimalValue().compareTo(BigDecimal.valueOf(RegexParser.MAX_COUNT)) > 0) {
            throw new GrammarException("'" + keyword + "' " + n + " at " + path + " is above the supported maximum " + RegexParser.MAX_COUNT);
        }
        return n.decimalValue().intValue();
    }

    static GrammarException invalid(String path, String message) {
        return new GrammarException("invalid JSON schema at " + path + ": " + message);
    }
}
