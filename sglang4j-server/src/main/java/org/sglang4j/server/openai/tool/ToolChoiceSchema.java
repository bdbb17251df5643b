package org.sglang4j.server.openai.tool;

import java.util.List;
import org.sglang4j.server.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON schemas that force tool calls through constrained decoding (SGLang PR #6550), so a forced call is always
 * well-formed: a named {@code tool_choice} constrains the output to that function's parameters; {@code "required"}
 * to a non-empty array of {@code {"name": one of the tools, "parameters": its schema}}.
 */
public final class ToolChoiceSchema {

    private ToolChoiceSchema() {}

    /** The arguments schema of one tool; a tool without parameters takes an object. */
    public static String named(FunctionTool tool) {
        return Json.write(parametersOf(tool));
    }

    /** At least one call; at most one unless {@code parallelToolCalls}. */
    public static String required(List<FunctionTool> tools, boolean parallelToolCalls) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("type", "array");
        root.put("minItems", 1);
        if (!parallelToolCalls) root.put("maxItems", 1);
        ObjectNode items = root.putObject("items");
        ArrayNode anyOf = items.putArray("anyOf");
        for (FunctionTool t : tools) {
            ObjectNode alt = anyOf.addObject();
            alt.put("type", "object");
            ObjectNode props = alt.putObject("properties");
            props.putObject("name").put("type", "string").putArray("enum").add(t.name());
            props.set("parameters", parametersOf(t));
            alt.putArray("required").add("name").add("parameters");
        }
        return Json.write(root);
    }

    private static JsonNode parametersOf(FunctionTool tool) {
        if (tool.parameters() != null) return tool.parameters();
        ObjectNode empty = Json.MAPPER.createObjectNode();
        empty.put("type", "object");
        empty.putObject("properties");
        return empty;
    }
}
