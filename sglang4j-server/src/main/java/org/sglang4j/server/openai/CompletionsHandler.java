package org.sglang4j.server.openai;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
import org.sglang4j.server.http.Json;
import org.sglang4j.server.http.SseWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/completions} (legacy text completions): no chat template; choice {@code p * n + j} is sample j
 * of prompt p; {@code echo} prepends the prompt text.
 */
public final class CompletionsHandler {

    private final ServerContext ctx;

    public CompletionsHandler(ServerContext ctx) {
        this.ctx = ctx;
    }

    public void handle(HttpCall call) throws IOException, InterruptedException {
        EngineClient engine = ctx.engine();
        Tokenizer tok = engine.tokenizer();
        CompletionRequest req = CompletionRequest.parse(call.jsonBody(false), tok.vocabSize());
        var model = engine.modelInfo();
        String id = "cmpl-" + (req.rid() != null ? req.rid() : UUID.randomUUID().toString().replace("-", ""));
        String baseRid = req.rid() != null ? req.rid() : id;
        int n = OpenAiFields.build(req.sampling()).n();
        boolean single = req.prompts().size() == 1 && n == 1;

        List<GenerateRequest> requests = new ArrayList<>();
        List<String> promptTexts = new ArrayList<>();
        List<int[]> promptIds = new ArrayList<>();
        for (CompletionRequest.Prompt p : req.prompts()) {
            int[] ids = p.ids() != null ? p.ids() : tok.encode(p.text(), true, true);
            if (ids.length == 0) throw ApiException.badRequest("prompt", "the prompt is empty (0 tokens)");
            promptIds.add(ids);
            SamplingParams.Builder b = req.sampling();
            b.maxNewTokens = ContextLimit.fit(ids.length, req.maxTokens(), req.maxTokensGiven(), model, "prompt", "max_tokens");
            if (!req.maxTokensGiven()) b.minNewTokens = Math.min(b.minNewTokens, b.maxNewTokens);
            SamplingParams base = OpenAiFields.build(b);
            for (int j = 0; j < n; j++) {
                SamplingParams.Builder sj = base.toBuilder().n(1);
                if (base.seed() != null) sj.seed(base.seed() + j);
                String rid = single ? baseRid : baseRid + "_" + requests.size();
                boolean wantLogprobs = req.logprobs() != null;
                requests.add(new GenerateRequest(rid, ids, OpenAiFields.build(sj), wantLogprobs,
                        wantLogprobs && req.echo() ? 0 : -1, wantLogprobs ? req.logprobs() : 0, req.session(), true));
                promptTexts.add(p.text() != null ? p.text() : tok.decode(ids, false));
            }
        }
        if (n > 1) Submission.cachePrompts(engine, ctx.registry(), promptIds);
        Response r = new Response(id, System.currentTimeMillis() / 1000, ctx.servedModelName(), req, tok, promptTexts, n);
        try (Submission sub = new Submission(engine, ctx.registry())) {
            for (GenerateRequest g : requests) sub.submit(g);
            if (req.stream()) stream(call, sub, r);
            else respond(call, sub, r);
        }
    }

    private void respond(HttpCall call, Submission sub, Response r) throws IOException, InterruptedException {
        OutputAccumulator[] accs = r.accumulators(call.arrivalNanos());
        while (!sub.done()) {
            Submission.Event e = sub.next();
            accs[e.index()].add(e.output());
        }
        for (OutputAccumulator acc : accs) if (acc.abortedWithError()) throw acc.abortError();
        ObjectNode o = r.header();
        ArrayNode choices = o.putArray("choices");
        for (int i = 0; i < accs.length; i++) {
            OutputAccumulator acc = accs[i];
            String prefix = r.req().echo() ? r.promptTexts().get(i) : "";
            ObjectNode c = choices.addObject();
            c.put("index", i);
            c.put("text", prefix + acc.text());
            if (r.req().logprobs() != null) {
                List<org.sglang4j.engine.req.TokenLogprob> lps = new ArrayList<>();
                if (r.req().echo()) lps.addAll(acc.inputLogprobs());
                lps.addAll(acc.outputLogprobs());
                c.set("logprobs", OpenAiJson.completionLogprobs(lps, r.tok(), r.req().logprobs(), 0));
            } else {
                c.putNull("logprobs");
            }
            c.put("finish_reason", OpenAiJson.finishReason(acc.finishReason(), false));
            c.set("matched_stop", OpenAiJson.matchedStop(acc.finishReason()));
        }
        o.set("usage", r.usage(accs));
        call.sendJson(200, o);
    }

    private void stream(HttpCall call, Submission sub, Response r) throws IOException, InterruptedException {
        OutputAccumulator[] accs = r.accumulators(call.arrivalNanos());
        SseWriter sse = call.startSse();
        try {
            if (r.req().echo()) {
                for (int i = 0; i < accs.length; i++) sse.event(r.chunk(i, r.promptTexts().get(i), null, null));
            }
            while (!sub.done()) {
                Submission.Event e = sub.next();
                int i = e.index();
                GenerateOutput out = e.output();
                OutputAccumulator acc = accs[i];
                int offset = acc.textLength() + (r.req().echo() ? r.promptTexts().get(i).length() : 0);
                acc.add(out);
                ObjectNode logprobs = r.req().logprobs() == null || out.outputLogprobs() == null ? null
                        : OpenAiJson.completionLogprobs(out.outputLogprobs(), r.tok(), r.req().logprobs(), offset);
                String text = out.textDelta() == null ? "" : out.textDelta();
                if (acc.abortedWithError()) {
                    ApiException err = acc.abortError();
                    sse.event(ApiException.errorJson(err.getMessage(), err.type(), err.param(), err.status()));
                }
                if (!text.isEmpty() || logprobs != null || out.finished()) {
                    ObjectNode chunk = r.chunk(i, text, logprobs, OpenAiJson.finishReason(acc.finishReason(), false));
                    if (out.finished()) {
                        ((ObjectNode) chunk.get("choices").get(0)).set("matched_stop", OpenAiJson.matchedStop(acc.finishReason()));
                    }
                    sse.event(chunk);
                }
            }
            if (r.req().includeUsage()) {
                ObjectNode u = r.header();
                u.putArray("choices");
                u.set("usage", r.usage(accs));
                sse.event(u);
            }
            sse.done();
        } catch (IOException disconnected) {
            ctx.httpMetrics().clientDisconnected();
            throw disconnected;
        }
    }

    private record Response(String id, long created, String model, CompletionRequest req, Tokenizer tok,
                            List<String> promptTexts, int n) {

        OutputAccumulator[] accumulators(long now) {
            OutputAccumulator[] accs = new OutputAccumulator[promptTexts.size()];
            for (int i = 0; i < accs.length; i++) accs[i] = new OutputAccumulator(id + "_" + i, now);
            return accs;
        }

        ObjectNode header() {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("id", id);
            o.put("object", "text_completion");
            o.put("created", created);
            o.put("model", model);
            return o;
        }

        ObjectNode chunk(int index, String text, ObjectNode logprobs, String finishReason) {
            ObjectNode o = header();
            ObjectNode c = o.putArray("choices").addObject();
            c.put("index", index);
            c.put("text", text);
            if (logprobs == null) c.putNull("logprobs");
            else c.set("logprobs", logprobs);
            if (finishReason == null) c.putNull("finish_reason");
            else c.put("finish_reason", finishReason);
            if (req.includeUsage()) o.putNull("usage");
            return o;
        }

        /** Prompt tokens once per prompt (not per sample); completion and cached tokens summed over choices. */
        ObjectNode usage(OutputAccumulator[] accs) {
            int prompt = 0;
            int completion = 0;
            int cached = 0;
            for (int i = 0; i < accs.length; i++) {
                if (i % n == 0) prompt += accs[i].promptTokens();
                completion += accs[i].completionTokens();
                cached += accs[i].cachedTokens();
            }
            return OpenAiJson.usage(prompt, completion, cached);
        }
    }
}
