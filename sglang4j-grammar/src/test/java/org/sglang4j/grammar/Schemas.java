package org.sglang4j.grammar;

/** JSON schemas from the case study and its pitfalls. */
public final class Schemas {
    private Schemas() {}

    /** The support ticket: {@code {"order_id": "...", "status": "...", "action": "..."}}. */
    public static final String TICKET = """
            {"type": "object",
             "properties": {
               "order_id": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"},
               "status": {"type": "string", "enum": ["pending", "shipped", "delivered", "cancelled"]},
               "action": {"type": "string", "enum": ["track", "cancel", "refund", "escalate"]}
             },
             "required": ["order_id", "status", "action"],
             "additionalProperties": false}""";

    /** The NLU result: {@code {intent, entities{order_id, reason}}}. */
    public static final String NLU = """
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

    /** Pitfall 5.2: Chinese field names and free Chinese values. */
    public static final String TICKET_CHINESE = """
            {"type": "object",
             "properties": {
               "订单号": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{6}$"},
               "状态": {"type": "string", "enum": ["待发货", "已发货", "已签收", "已取消"]},
               "处理意见": {"type": "string", "minLength": 1}
             },
             "required": ["订单号", "状态", "处理意见"]}""";
}
