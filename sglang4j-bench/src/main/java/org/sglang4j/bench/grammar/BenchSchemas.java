package org.sglang4j.bench.grammar;

import java.util.LinkedHashMap;
import java.util.Map;

/** The case study's schemas: the support ticket and the NLU result (same as the grammar module's tests). */
final class BenchSchemas {
    private BenchSchemas() {}

    static final String TICKET = """
            {"type": "object",
             "properties": {
               "order_id": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"},
               "status": {"type": "string", "enum": ["pending", "shipped", "delivered", "cancelled"]},
               "action": {"type": "string", "enum": ["track", "cancel", "refund", "escalate"]}
             },
             "required": ["order_id", "status", "action"],
             "additionalProperties": false}""";

    static final String NLU = """
            {"type": "object",
             "properties": {
               "intent": {"type": "string", "enum": ["track_order", "cancel_order", "refund", "complaint", "other"]},
               "entities": {"type": "object",
                 "properties": {
                   "order_id": {"anyOf": [{"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"}, {"type": "null"}]},
                   "reason": {"type": "string", "maxLength": 200}
                 },
                 "required": ["order_id"]}
             },
             "required": ["intent", "entities"]}""";

    /** Name → schema, in report order. */
    static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ticket", TICKET);
        m.put("nlu", NLU);
        return m;
    }

    /** The same schema under a different cache key (a {@code $comment} is an annotation). */
    static String variant(String schema, int i) {
        return "{\"$comment\": \"variant " + i + "\", " + schema.strip().substring(1);
    }
}
