package org.sglang4j.server.openai.tool;

/**
 * One streamed piece of a tool call, as OpenAI's {@code delta.tool_calls[]}: the first piece of call {@code index}
 * carries its {@code id} and function {@code name} (arguments ""), later pieces only argument text (id and name
 * null). Concatenating the argument pieces of an index gives the call's arguments.
 */
public record ToolCallDelta(int index, String id, String name, String arguments) {}
