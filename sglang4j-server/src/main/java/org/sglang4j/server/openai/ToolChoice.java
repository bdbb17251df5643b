package org.sglang4j.server.openai;

/**
 * OpenAI {@code tool_choice}. {@code none}: tools are not shown to the model; {@code auto}: the model may call
 * them (output parsed); {@code required} and a named function: a call is forced by constrained decoding.
 */
sealed interface ToolChoice {
    record None() implements ToolChoice {}

    record Auto() implements ToolChoice {}

    record Required() implements ToolChoice {}

    record Named(String name) implements ToolChoice {}
}
