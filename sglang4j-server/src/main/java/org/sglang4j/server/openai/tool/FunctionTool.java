package org.sglang4j.server.openai.tool;

import tools.jackson.databind.JsonNode;

/**
 * One entry of a request's {@code tools}: {@code {"type": "function", "function": {name, description, parameters}}}.
 *
 * @param parameters JSON schema of the arguments; null when the tool takes none
 * @param raw        the whole tool object as sent, for the chat template
 */
public record FunctionTool(String name, String description, JsonNode parameters, JsonNode raw) {}
