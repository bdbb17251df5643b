package org.sglang4j.server.openai;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplate;
import org.sglang4j.core.chat.ToolCall;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.SessionParams;
import org.sglang4j.server.http.Json;
import org.sglang4j.server.http.JsonFields;
import org.sglang4j.server.openai.tool.FunctionTool;
import org.sglang4j.server.openai.tool.ToolChoiceSchema;
import tools.jackson.databind.JsonNode;

/**
 * A parsed {@code POST /v1/chat/completions} body.
 *
 * @param messages            for the chat template: text parts joined, {@code developer} as {@code system}
 * @param tools               the request's functions (empty when none, or when tool_choice is none)
 * @param sampling            everything but the token budget; its constraint already includes a forced tool call
 * @param maxTokens           the explicit budget, or null (then: what the context leaves)
 * @param continueFinalMessage extend the last (assistant) message instead of starting a new one
 * @param templateKwargs      {@code chat_template_kwargs}: extra template variables (e.g. {@code enable_thinking})
 */
record ChatCompletionRequest(List<ChatMessage> messages, List<FunctionTool> tools, ToolChoice toolChoice,
                             boolean parallelToolCalls, SamplingParams.Builder sampling, Integer maxTokens,
                             boolean stream, boolean includeUsage, boolean logprobs, int topLogprobs, String rid,
                             SessionParams session, boolean continueFinalMessage, Map<String, Object> templateKwargs) {

    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,64}");
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    static ChatCompletionRequest parse(JsonNode body, int vocabSize) {
        JsonFields f = JsonFields.of(body, "");
        OpenAiFields.rejectUnsupported(f, "audio", "modalities", "prediction", "web_search_options", "functions",
                "function_call");
        f.optString("model");
        List<ChatMessage> messages = messages(f);
        boolean stream = f.getBool("stream", false);
        SamplingParams.Builder sampling = OpenAiFields.sampling(f, vocabSize);
        Integer maxTokens = OpenAiFields.maxTokens(f);
        boolean logprobs = f.getBool("logprobs", false);
        Integer top = f.optInt("top_logprobs");
        if (top != null && (top < 0 || top > OpenAiFields.MAX_TOP_LOGPROBS)) {
            throw f.bad("top_logprobs", "must be in [0, " + OpenAiFields.MAX_TOP_LOGPROBS + "]", f.get("top_logprobs"));
        }
        if (top != null && top > 0 && !logprobs) throw f.bad("top_logprobs", "top_logprobs needs logprobs: true");

        List<FunctionTool> tools = tools(f);
        ToolChoice choice = toolChoice(f, tools);
        boolean parallel = f.getBool("parallel_tool_calls", true);
        Constraint constraint = OpenAiFields.constraint(f);
        Constraint forced = switch (choice) {
            case ToolChoice.Required r -> new Constraint.JsonSchema(ToolChoiceSchema.required(tools, parallel));
            case ToolChoice.Named n -> new Constraint.JsonSchema(ToolChoiceSchema.named(
                    tools.stream().filter(t -> t.name().equals(n.name())).findFirst().orElseThrow()));
            default -> null;
        };
        if (forced != null && constraint != null) {
            throw f.bad("tool_choice", "tool_choice \"required\" or a named function forces the output format; "
                    + "it cannot be combined with response_format / regex / json_schema");
        }
        sampling.constraint = forced != null ? forced : constraint;
        if (choice instanceof ToolChoice.None) tools = List.of();

        boolean continueFinal = f.getBool("continue_final_message", false);
        if (continueFinal && !"assistant".equals(messages.getLast().role())) {
            throw f.bad("continue_final_message", "continue_final_message needs the last message to be from the assistant");
        }
        JsonFields kwargs = f.optObject("chat_template_kwargs");
        return new ChatCompletionRequest(messages, tools, choice, parallel, sampling, maxTokens, stream,
                OpenAiFields.includeUsage(f, stream), logprobs, top == null ? 0 : top, f.optString("rid"),
                OpenAiFields.session(f), continueFinal, kwargs == null ? Map.of() : asMap(kwargs.node()));
    }

    private static List<ChatMessage> messages(JsonFields f) {
        JsonNode arr = f.get("messages");
        if (arr == null) throw f.bad("messages", "messages is required");
        if (!arr.isArray() || arr.isEmpty()) throw f.bad("messages", "must be a non-empty list of messages", arr);
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < arr.size(); i++) {
            String path = "messages[" + i + "]";
            JsonFields m = JsonFields.of(arr.get(i), path);
            String role = m.optString("role");
            if (role == null) throw m.bad("role", path + ".role is required");
            if (!ROLES.contains(role)) {
                throw m.bad("role", path + ".role must be one of system, developer, user, assistant, tool, got \"" + role + "\"");
            }
            String content = content(m, path);
            List<ToolCall> calls = role.equals("assistant") ? toolCalls(m, path) : List.of();
            if (content == null && calls.isEmpty()) {
                throw m.bad("content", path + ".content is required" + (role.equals("assistant") ? " (or tool_calls)" : ""));
            }
            // Templates know system, not OpenAI's newer developer role.
            out.add(new ChatMessage(role.equals("developer") ? "system" : role, content, calls,
                    role.equals("tool") ? m.optString("tool_call_id") : null, m.optString("name"), Map.of()));
        }
        return out;
    }

    /** A string, or text parts joined by newlines; other part types (images, audio) are refused. */
    private static String content(JsonFields m, String path) {
        JsonNode c = m.get("content");
        if (c == null) return null;
        if (c.isString()) return c.asString();
        if (!c.isArray()) throw m.bad("content", "must be a string or a list of content parts", c);
        List<String> texts = new ArrayList<>();
        for (int k = 0; k < c.size(); k++) {
            JsonFields part = JsonFields.of(c.get(k), path + ".content[" + k + "]");
            String type = part.optString("type");
            if (!"text".equals(type)) {
                throw part.bad("type", path + ".content[" + k + "] has type \"" + type
                        + "\"; this server accepts text content only");
            }
            String text = part.optString("text");
            if (text == null) throw part.bad("text", path + ".content[" + k + "].text is required");
            texts.add(text);
        }
        return String.join("\n", texts);
    }

    /** An assistant turn's earlier calls; the template gets the arguments parsed (core.chat does that). */
    private static List<ToolCall> toolCalls(JsonFields m, String path) {
        JsonNode calls = m.get("tool_calls");
        if (calls == null) return List.of();
        if (!calls.isArray()) throw m.bad("tool_calls", "must be a list", calls);
        List<ToolCall> out = new ArrayList<>();
        for (int k = 0; k < calls.size(); k++) {
            String cpath = path + ".tool_calls[" + k + "]";
            JsonFields call = JsonFields.of(calls.get(k), cpath);
            JsonFields fn = call.optObject("function");
            if (fn == null) throw call.bad("function", cpath + ".function is required");
            String name = fn.optString("name");
            if (name == null || name.isEmpty()) throw fn.bad("name", cpath + ".function.name is required");
            String args = fn.optString("arguments");
            out.add(new ToolCall(call.optString("id"), name, args == null ? "{}" : args));
        }
        return out;
    }

    private static List<FunctionTool> tools(JsonFields f) {
        JsonNode arr = f.get("tools");
        if (arr == null) return List.of();
        if (!arr.isArray()) throw f.bad("tools", "must be a list of tools", arr);
        List<FunctionTool> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            String path = "tools[" + i + "]";
            JsonFields t = JsonFields.of(arr.get(i), path);
            String type = t.optString("type");
            if (type != null && !type.equals("function")) {
                throw t.bad("type", path + ".type must be \"function\", got \"" + type + "\"");
            }
            JsonFields fn = t.optObject("function");
            if (fn == null) throw t.bad("function", path + ".function is required");
            String name = fn.optString("name");
            if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
                throw fn.bad("name", path + ".function.name must be 1-64 letters, digits, '_', '.' or '-', got "
                        + JsonFields.describe(fn.get("name")));
            }
            if (!names.add(name)) throw fn.bad("name", "two tools are named \"" + name + "\"");
            JsonNode params = fn.get("parameters");
            if (params != null && !params.isObject()) throw fn.bad("parameters", "must be a JSON schema object", params);
            out.add(new FunctionTool(name, fn.optString("description"), params, arr.get(i)));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonFields f, List<FunctionTool> tools) {
        JsonNode v = f.get("tool_choice");
        if (v == null) return tools.isEmpty() ? new ToolChoice.None() : new ToolChoice.Auto();
        ToolChoice choice;
        if (v.isString()) {
            choice = switch (v.asString()) {
                case "none" -> new ToolChoice.None();
                case "auto" -> new ToolChoice.Auto();
                case "required" -> new ToolChoice.Required();
                default -> throw f.bad("tool_choice", "must be none, auto, required or {\"type\": \"function\", "
                        + "\"function\": {\"name\": ...}}", v);
            };
        } else {
            JsonFields obj = JsonFields.of(v, "tool_choice");
            JsonFields fn = obj.optObject("function");
            String name = fn == null ? null : fn.optString("name");
            if (name == null) throw obj.bad("function", "tool_choice.function.name is required");
            if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                throw obj.bad("function", "tool_choice names function \"" + name + "\", which is not in tools");
            }
            choice = new ToolChoice.Named(name);
        }
        if (tools.isEmpty() && !(choice instanceof ToolChoice.None || choice instanceof ToolChoice.Auto)) {
            throw f.bad("tool_choice", "tool_choice " + JsonFields.describe(v) + " needs a non-empty tools list");
        }
        return tools.isEmpty() ? new ToolChoice.None() : choice;
    }

    /** Template options: the request's tools as it sent them (none for tool_choice none), and its kwargs. */
    ChatTemplate.RenderOptions renderOptions(boolean addGenerationPrompt) {
        List<Map<String, Object>> toolMaps = null;
        if (!tools.isEmpty()) {
            toolMaps = new ArrayList<>();
            for (FunctionTool t : tools) toolMaps.add(asMap(t.raw()));
        }
        return new ChatTemplate.RenderOptions(addGenerationPrompt, toolMaps, templateKwargs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonNode node) {
        return Json.MAPPER.convertValue(node, Map.class);
    }
}
