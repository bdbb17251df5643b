package org.sglang4j.server.openai;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplateException;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.server.ContextLimit;
import org.sglang4j.server.EngineClient;
import org.sglang4j.server.OutputAccumulator;
import org.sglang4j.server.ServerContext;
import org.sglang4j.server.Submission;
import org.sglang4j.server.http.ApiException;
import org.sglang4j.server.http.HttpCall;
import org.sglang4j.server.http.SseWriter;
import org.sglang4j.server.openai.tool.HermesToolCallParser;
import org.sglang4j.server.openai.tool.Llama3ToolCallParser;
import org.sglang4j.server.openai.tool.NamedToolCallParser;
import org.sglang4j.server.openai.tool.ParsedDelta;
import org.sglang4j.server.openai.tool.RequiredToolCallParser;
import org.sglang4j.server.openai.tool.ToolCall;
import org.sglang4j.server.openai.tool.ToolCallParser;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/chat/completions}: messages through the model's chat template, one engine request per choice,
 * tool calls parsed out of the output (or forced by a schema), then a {@code chat.completion} or a stream of
 * {@code chat.completion.chunk}s: a role chunk per choice, content / tool-call deltas, a finish chunk per choice,
 * a usage chunk with {@code stream_options.include_usage}, then {@code data: [DONE]}.
 */
public final class ChatCompletionsHandler {

    private final ServerContext ctx;

    public ChatCompletionsHandler(ServerContext ctx) {
        this.ctx = ctx;
    }

    public void handle(HttpCall call) throws IOException, InterruptedException {
        EngineClient engine = ctx.engine();
        Tokenizer tok = engine.tokenizer();
        ChatCompletionRequest req = ChatCompletionRequest.parse(call.jsonBody(false), tok.vocabSize());
        int[] prompt = tok.encode(render(engine, req), false, true);
        SamplingParams.Builder b = req.sampling();
        b.maxNewTokens = ContextLimit.fit(prompt.length, req.maxTokens() == null ? Integer.MAX_VALUE : req.maxTokens(),
                req.maxTokens() != null, engine.modelInfo(), "messages", "max_completion_tokens");
        if (req.maxTokens() == null) b.minNewTokens = Math.min(b.minNewTokens, b.maxNewTokens);
        SamplingParams base = OpenAiFields.build(b);
        int n = base.n();

        String id = "chatcmpl-" + (req.rid() != null ? req.rid() : UUID.randomUUID().toString().replace("-", ""));
        String baseRid = req.rid() != null ? req.rid() : id;
        List<GenerateRequest> requests = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            SamplingParams.Builder sj = base.toBuilder().n(1);
            if (base.seed() != null) sj.seed(base.seed() + j); // n samples with one seed must still differ
            requests.add(new GenerateRequest(n == 1 ? baseRid : baseRid + "_" + j, prompt, OpenAiFields.build(sj),
                    req.logprobs(), -1, req.topLogprobs(), req.session(), true));
        }
        if (n > 1) Submission.cachePrompts(engine, ctx.registry(), List.of(prompt));
        List<ToolCallParser> parsers = new ArrayList<>();
        for (int j = 0; j < n; j++) parsers.add(parser(req, tok));
        try (Submission sub = new Submission(engine, ctx.registry())) {
            for (GenerateRequest r : requests) sub.submit(r);
            ChatResponse response = new ChatResponse(id, System.currentTimeMillis() / 1000, ctx.servedModelName(), req, tok);
            if (req.stream()) stream(call, sub, response, parsers);
            else call.sendJson(200, respond(call, sub, response, parsers));
        }
    }

    private String render(EngineClient engine, ChatCompletionRequest req) {
        List<ChatMessage> msgs = req.messages();
        try {
            if (!req.continueFinalMessage()) return engine.applyChatTemplate(msgs, req.renderOptions(true));
            // HF's continue_final_message: render without a generation prompt, then cut after the last message's
            // text so the model continues it instead of starting a new turn.
            String rendered = engine.applyChatTemplate(msgs, req.renderOptions(false));
            String last = msgs.getLast().content() == null ? "" : msgs.getLast().content().strip();
            int at = last.isEmpty() ? -1 : rendered.lastIndexOf(last);
            if (at < 0) throw ApiException.badRequest("continue_final_message",
                    "cannot continue the final message: its text is not in the rendered template");
            return rendered.substring(0, at + last.length());
        } catch (ChatTemplateException e) {
            throw ApiException.badRequest("messages", "the chat template cannot render these messages: " + e.getMessage());
        }
    }

    /** Null when the request has no tools: the output is all content. */
    private ToolCallParser parser(ChatCompletionRequest req, Tokenizer tok) {
        return switch (req.toolChoice()) {
            case ToolChoice.None none -> null;
            case ToolChoice.Named named -> new NamedToolCallParser(named.name(), ToolCallParser.randomIds().get());
            case ToolChoice.Required r -> new RequiredToolCallParser(ToolCallParser.randomIds());
            case ToolChoice.Auto a -> switch (parserName(tok)) {
                case "llama3" -> new Llama3ToolCallParser(ToolCallParser.randomIds());
                default -> new HermesToolCallParser(ToolCallParser.randomIds());
            };
        };
    }

    /** {@code --tool-call-parser}, else guessed from the chat template's own tool-call markup. */
    private String parserName(Tokenizer tok) {
        String configured = ctx.args().toolCallParser();
        if (configured != null) return configured;
        String template = tok.chatTemplate();
        if (template != null && !template.contains("<tool_call>")
                && (template.contains("<|python_tag|>") || template.contains("ipython"))) {
            return "llama3";
        }
        return "hermes";
    }

    private ObjectNode respond(HttpCall call, Submission sub, ChatResponse response, List<ToolCallParser> parsers)
            throws InterruptedException {
        OutputAccumulator[] accs = response.accumulators(parsers.size(), call.arrivalNanos());
        while (!sub.done()) {
            Submission.Event e = sub.next();
            accs[e.index()].add(e.output());
        }
        for (OutputAccumulator acc : accs) if (acc.abortedWithError()) throw acc.abortError();
        List<ObjectNode> choices = new ArrayList<>();
        for (int i = 0; i < accs.length; i++) {
            ToolCallParser p = parsers.get(i);
            String content = accs[i].text();
            List<ToolCall> calls = List.of();
            if (p != null) {
                ParsedDelta parsed = p.parseAll(content);
                content = parsed.content();
                calls = ToolCall.merge(parsed.calls());
            }
            choices.add(response.choice(i, accs[i], content, calls));
        }
        return response.completion(choices, accs);
    }

    private void stream(HttpCall call, Submission sub, ChatResponse response, List<ToolCallParser> parsers)
            throws IOException, InterruptedException {
        OutputAccumulator[] accs = response.accumulators(parsers.size(), call.arrivalNanos());
        SseWriter sse = call.startSse();
        try {
            for (int i = 0; i < accs.length; i++) sse.event(response.roleChunk(i));
            while (!sub.done()) {
                Submission.Event e = sub.next();
                int i = e.index();
                GenerateOutput out = e.output();
                OutputAccumulator acc = accs[i];
                acc.add(out);
                ToolCallParser p = parsers.get(i);
                String text = out.textDelta() == null ? "" : out.textDelta();
                ParsedDelta parsed = p == null ? new ParsedDelta(text, List.of()) : p.feed(text);
                if (out.finished() && p != null) parsed = parsed.then(p.finish());
                boolean hasLogprobs = response.request().logprobs() && out.outputLogprobs() != null
                        && !out.outputLogprobs().isEmpty();
                if (!parsed.content().isEmpty() || hasLogprobs) {
                    sse.event(response.contentChunk(i, parsed.content(), hasLogprobs ? out.outputLogprobs() : null));
                }
                if (!parsed.calls().isEmpty()) sse.event(response.toolCallChunk(i, parsed.calls()));
                if (out.finished()) {
                    if (acc.abortedWithError()) {
                        ApiException err = acc.abortError();
                        sse.event(ApiException.errorJson(err.getMessage(), err.type(), err.param(), err.status()));
                    }
                    sse.event(response.finishChunk(i, acc, p != null && p.sawToolCall()));
                }
            }
            if (response.request().includeUsage()) sse.event(response.usageChunk(accs));
            sse.done();
        } catch (IOException disconnected) {
            ctx.httpMetrics().clientDisconnected();
            throw disconnected; // Submission.close() aborts what is still running
        }
    }
}
