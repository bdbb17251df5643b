package org.sglang4j.bench.workload;

/**
 * The JSON schema of the constrained-decoding benchmark: the support ticket the customer-service assistant files
 * (enums, a bounded free-text field, a boolean, an integer with a range), so both engines' grammar machinery is
 * exercised the way the driving use case needs it.
 */
public final class TicketSchema {
    public static final String JSON = """
            {"type": "object",
             "properties": {
               "category": {"type": "string", "enum": ["shipping", "return", "refund", "warranty", "billing", "other"]},
               "priority": {"type": "string", "enum": ["low", "medium", "high"]},
               "order_id": {"type": "string", "pattern": "^[0-9]{6}$"},
               "summary": {"type": "string", "maxLength": 160},
               "needs_human": {"type": "boolean"},
               "items": {"type": "integer", "minimum": 1, "maximum": 20}
             },
             "required": ["category", "priority", "order_id", "summary", "needs_human", "items"],
             "additionalProperties": false}""";

    private TicketSchema() {}
}
