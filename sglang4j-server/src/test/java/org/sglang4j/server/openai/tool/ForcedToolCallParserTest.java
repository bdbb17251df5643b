package org.sglang4j.server.openai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sglang4j.server.http.Json;
import tools.jackson.databind.JsonNode;

/** tool_choice required / named: the schemas that force the output, and the parsers that read it. */
class ForcedToolCallParserTest {

    static final FunctionTool ORDER = new FunctionTool("get_order", null,
            Json.MAPPER.readTree("{\"type\": \"object\", \"properties\": {\"id\": {\"type\": \"string\"}}, \"required\": [\"id\"]}"), null);
    static final FunctionTool PING = new FunctionTool("ping", null, null, null);

    @Test
    void requiredSchemaIsANonEmptyArrayOfNamedCalls() {
        JsonNode schema = Json.MAPPER.readTree(ToolChoiceSchema.required(List.of(ORDER, PING), true));
        assertThat(schema.toString()).isEqualTo("{\"type\":\"array\",\"minItems\":1,\"items\":{\"anyOf\":["
                + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"enum\":[\"get_order\"]},"
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}},"
                + "\"required\":[\"name\",\"parameters\"]},"
                + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"enum\":[\"ping\"]},"
                + "\"parameters\":{\"type\":\"object\",\"properties\":{}}},\"required\":[\"name\",\"parameters\"]}]}}");
        JsonNode single = Json.MAPPER.readTree(ToolChoiceSchema.required(List.of(ORDER), false));
        assertThat(single.get("maxItems").asInt()).isEqualTo(1);
    }

    @Test
    void namedSchemaIsTheToolsParameters() {
        assertThat(ToolChoiceSchema.named(ORDER)).isEqualTo(Json.write(ORDER.parameters()));
        assertThat(ToolChoiceSchema.named(PING)).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
    }

    @Test
    void requiredOutputIsReadIncrementally() {
        String out = "[{\"name\": \"get_order\", \"parameters\": {\"id\": \"JD1\"}}, {\"name\": \"ping\", \"parameters\": {}}]";
        for (int cut = 0; cut <= out.length(); cut++) {
            Deltas d = Deltas.feed(new RequiredToolCallParser(ToolCallParser.randomIds()),
                    List.of(out.substring(0, cut), out.substring(cut)));
            assertThat(d.content).isEmpty();
            assertThat(d.merged()).extracting(ToolCall::name).containsExactly("get_order", "ping");
            assertThat(d.merged()).extracting(ToolCall::arguments).containsExactly("{\"id\": \"JD1\"}", "{}");
        }
    }

    @Test
    void namedOutputIsAllArguments() {
        NamedToolCallParser p = new NamedToolCallParser("get_order", "call_abc");
        Deltas d = Deltas.feed(p, List.of("{\"id\"", ": \"JD1\"}"));
        assertThat(d.merged()).containsExactly(new ToolCall(0, "call_abc", "get_order", "{\"id\": \"JD1\"}"));
        assertThat(p.sawToolCall()).isTrue();
    }
}
