package org.sglang4j.server.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.ModelInfo;
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

/**
 * {@code POST /generate}: parse, tokenize, submit every item, then either one JSON answer (object, or list for a
 * batch) or an SSE stream of SGLang chunks with cumulative {@code text} ending in {@code data: [DONE]}.
 */
public final class GenerateHandler {

    private final ServerContext ctx;

    public GenerateHandler(ServerContext ctx) {
        this.ctx = ctx;
    }

    public void handle(HttpCall call) throws IOException, InterruptedException {
        EngineClient engine = ctx.engine();
        Tokenizer tok = engine.tokenizer();
        GenerateReqInput in = GenerateReqInput.parse(call.jsonBody(false), tok.vocabSize());
        List<GenerateRequest> requests = new ArrayList<>(in.items().size());
        ModelInfo model = engine.modelInfo();
        for (GenerateReqInput.Item item : in.items()) requests.add(toEngine(item, tok, in.logMetrics(), model));
        int n = in.parallelSampleNum();
        if (n > 1) {
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < requests.size(); i += n) prompts.add(requests.get(i).inputIds());
            Submission.cachePrompts(engine, ctx.registry(), prompts);
        }
        try (Submission sub = new Submission(engine, ctx.registry())) {
            for (GenerateRequest r : requests) sub.submit(r);
            if (in.stream()) stream(call, in, sub, tok);
            else respond(call, in, sub, tok);
        }
    }

    static GenerateRequest toEngine(GenerateReqInput.Item item, Tokenizer tok, boolean logMetrics, ModelInfo model) {
        int[] ids = item.inputIds() != null ? item.inputIds() : tok.encode(item.text(), true, true);
        String promptParam = item.inputIds() != null ? "input_ids" : "text";
        if (ids.length == 0) throw ApiException.badRequest(promptParam, "the prompt is empty (0 tokens)");
        SamplingParams sampling = item.sampling();
        // A session continues earlier turns: the engine knows the full length, so it checks the context itself.
        if (item.session() == null) {
            int budget = ContextLimit.fit(ids.length, sampling.maxNewTokens(), item.maxNewTokensExplicit(), model,
                    promptParam, "sampling_params.max_new_tokens");
            if (budget != sampling.maxNewTokens()) {
                sampling = SamplingParamsJson.build(sampling.toBuilder().maxNewTokens(budget)
                        .minNewTokens(Math.min(sampling.minNewTokens(), budget)), x -> x);
            }
        }
        return new GenerateRequest(item.rid(), ids, sampling, item.returnLogprob(), item.logprobStartLen(),
                item.topLogprobsNum(), item.session(), logMetrics);
    }

    private void respond(HttpCall call, GenerateReqInput in, Submission sub, Tokenizer tok)
            throws IOException, InterruptedException {
        List<GenerateReqInput.Item> items = in.items();
        OutputAccumulator[] accs = accumulators(items, call.arrivalNanos());
        while (!sub.done()) {
            Submission.Event e = sub.next();
            accs[e.index()].add(e.output());
        }
        for (OutputAccumulator acc : accs) {
            if (acc.abortedWithError()) throw acc.abortError();
        }
        if (!in.batch()) {
            call.sendJson(200, GenerateResponseJson.render(accs[0], items.get(0), in.returnTextInLogprobs(), tok, null));
            return;
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < accs.length; i++) {
            out.add(GenerateResponseJson.render(accs[i], items.get(i), in.returnTextInLogprobs(), tok, null));
        }
        call.sendJson(200, out);
    }

    private void stream(HttpCall call, GenerateReqInput in, Submission sub, Tokenizer tok)
            throws IOException, InterruptedException {
        List<GenerateReqInput.Item> items = in.items();
        OutputAccumulator[] accs = accumulators(items, call.arrivalNanos());
        SseWriter sse = call.startSse();
        try {
            while (!sub.done()) {
                Submission.Event e = sub.next();
                OutputAccumulator acc = accs[e.index()];
                acc.add(e.output());
                if (acc.abortedWithError()) {
                    // SGLang reports a mid-stream failure as an error event before [DONE].
                    ApiException err = acc.abortError();
                    sse.event(ApiException.errorJson(err.getMessage(), err.type(), err.param(), err.status()));
                    continue;
                }
                sse.event(GenerateResponseJson.render(acc, items.get(e.index()), in.returnTextInLogprobs(), tok,
                        in.batch() ? e.index() : null));
            }
            sse.done();
        } catch (IOException disconnected) {
            ctx.httpMetrics().clientDisconnected();
            throw disconnected; // Submission.close() aborts what is still running
        }
    }

    private static OutputAccumulator[] accumulators(List<GenerateReqInput.Item> items, long now) {
        OutputAccumulator[] accs = new OutputAccumulator[items.size()];
        for (int i = 0; i < accs.length; i++) accs[i] = new OutputAccumulator(items.get(i).rid(), now);
        return accs;
    }
}
