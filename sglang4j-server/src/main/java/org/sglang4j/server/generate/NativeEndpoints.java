package org.sglang4j.server.generate;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.InvalidRequestException;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.engine.ResidentMemory;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.server.EngineClient;
import org.sglang4j.server.ServerContext;
import org.sglang4j.server.SglangServer;
import org.sglang4j.server.Submission;
import org.sglang4j.server.http.ApiException;
import org.sglang4j.server.http.ApiServer;
import org.sglang4j.server.http.HttpCall;
import org.sglang4j.server.http.JsonFields;
import org.sglang4j.server.http.Lifecycle;

/**
 * SGLang's operational endpoints (sglang-engine.md §1.4): health probes, model and server info, cache flush,
 * aborts, sessions and Prometheus metrics.
 */
public final class NativeEndpoints {

    /** SGLANG_HEALTH_CHECK_TIMEOUT: a probe that produces no token within this is unhealthy. */
    static final long HEALTH_CHECK_TIMEOUT_MS = 20_000;

    private final ServerContext ctx;

    public NativeEndpoints(ServerContext ctx) {
        this.ctx = ctx;
    }

    /** Cheap readiness: 200 once ready, 503 while starting or draining (so a load balancer stops routing here). */
    public void health(HttpCall call) throws IOException {
        Lifecycle.State s = ctx.lifecycle().state();
        if (s != Lifecycle.State.READY) throw ApiServer.notServing(s);
        call.sendEmpty(200);
    }

    /** Deep health: one greedy token through the whole engine, as SGLang's probe does. */
    public void healthGenerate(HttpCall call) throws IOException, InterruptedException {
        Lifecycle.State s = ctx.lifecycle().state();
        if (s != Lifecycle.State.READY) throw ApiServer.notServing(s);
        EngineClient engine = ctx.engine();
        int bos = engine.tokenizer().bosId();
        SamplingParams oneToken = SamplingParams.builder().maxNewTokens(1).temperature(0f).build();
        GenerateRequest probe = new GenerateRequest("HEALTH_CHECK_" + System.nanoTime(), new int[] {Math.max(bos, 0)},
                oneToken, false, -1, 0, null, false);
        try (Submission sub = new Submission(engine, ctx.registry())) {
            sub.submit(probe);
            if (sub.poll(HEALTH_CHECK_TIMEOUT_MS) == null) {
                throw ApiException.unavailable("health check: no token generated within "
                        + HEALTH_CHECK_TIMEOUT_MS / 1000 + " s", 5);
            }
        }
        call.sendEmpty(200);
    }

    public void modelInfo(HttpCall call) throws IOException {
        ModelInfo m = ctx.engine().modelInfo();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_path", m.modelPath());
        out.put("tokenizer_path", m.tokenizerPath());
        out.put("is_generation", true);
        out.put("preferred_sampling_params", null);
        out.put("weight_version", "default");
        out.put("served_model_name", ctx.servedModelName());
        out.put("architecture", m.architecture());
        out.put("quantization", m.quantization());
        out.put("context_length", m.contextLength());
        out.put("vocab_size", m.vocabSize());
        out.put("is_demo_model", m.isDemoModel());
        call.sendJson(200, out);
    }

    /**
     * SGLang's {@code memory_usage} (GB: weights, KV pool, its token capacity), plus {@code kvcache_resident}: the
     * part of the pool in memory now (it is mapped lazily: slots become resident when first used), and
     * {@code resident}: the whole process's resident memory, so the overhead beyond weights and the KV pool's
     * resident part can be read off a running server. Both null where they cannot be read.
     */
    private static Map<String, Object> memoryUsage(ModelInfo m, EngineClient engine) {
        Map<String, Object> mem = new LinkedHashMap<>();
        mem.put("weight", m.weightBytes() / 1e9);
        mem.put("kvcache", m.kvCacheBytes() / 1e9);
        mem.put("token_capacity", m.maxTotalTokens());
        long kvResident = engine.kvCacheResidentBytes();
        mem.put("kvcache_resident", kvResident < 0 ? null : kvResident / 1e9);
        long rss = ResidentMemory.bytes();
        mem.put("resident", rss < 0 ? null : rss / 1e9);
        return mem;
    }

    public void serverInfo(HttpCall call) throws IOException {
        EngineClient engine = ctx.engine();
        ModelInfo m = engine.modelInfo();
        EngineStats st = engine.stats();
        Map<String, Object> out = new LinkedHashMap<>(ctx.args().toInfo());
        out.put("max_total_num_tokens", m.maxTotalTokens());
        out.put("max_req_input_len", m.contextLength() - 1);
        out.put("max_running_requests", m.maxRunningRequests());
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("num_running_reqs", st.runningReqs());
        state.put("num_queue_reqs", st.queuedReqs());
        state.put("num_grammar_queue_reqs", st.grammarQueueReqs());
        state.put("num_used_tokens", st.usedTokens());
        state.put("token_usage", st.tokenUsage());
        state.put("cache_hit_rate", st.cacheHitRate());
        state.put("gen_throughput", st.genThroughput());
        state.put("total_retractions", st.totalRetractions());
        state.put("memory_usage", memoryUsage(m, engine));
        out.put("internal_states", List.of(state));
        out.put("version", SglangServer.VERSION);
        call.sendJson(200, out);
    }

    /** Refused (400) while requests run or wait, as in SGLang. */
    public void flushCache(HttpCall call) throws IOException {
        if (!ctx.engine().flushCache()) {
            throw ApiException.badRequest(null, "Cache not flushed: requests are running or waiting; "
                    + "retry when the server is idle.");
        }
        call.sendText(200, "text/plain; charset=utf-8", "Cache flushed.\nPlease check backend logs for more details. "
                + "(When there are running or waiting requests, the operation will not be performed.)\n");
    }

    /**
     * {@code {"rid": r}} aborts r and the requests it fanned out to ({@code r_0}, {@code r_1}, … for a batch or
     * n > 1); {@code {"abort_all": true}} aborts everything running.
     */
    public void abortRequest(HttpCall call) throws IOException {
        JsonFields f = JsonFields.of(call.jsonBody(false), "");
        f.rejectUnknown(Set.of("rid", "abort_all"));
        boolean all = f.getBool("abort_all", false);
        String rid = f.optString("rid");
        if (!all && (rid == null || rid.isEmpty())) throw f.bad("rid", "give rid, or abort_all: true");
        EngineClient engine = ctx.engine();
        for (String r : ctx.registry().snapshot()) {
            if (all || r.equals(rid) || r.startsWith(rid + "_")) engine.abort(r);
        }
        if (rid != null && !all) engine.abort(rid);
        call.sendEmpty(200);
    }

    /** Returns the session id as a JSON string (SGLang's shape). */
    public void openSession(HttpCall call) throws IOException {
        JsonFields f = JsonFields.of(call.jsonBody(false), "");
        f.rejectUnknown(Set.of("capacity_of_str_len", "session_id", "timeout", "streaming"));
        Integer capacity = f.optInt("capacity_of_str_len");
        if (capacity == null) throw f.bad("capacity_of_str_len", "capacity_of_str_len is required");
        if (capacity < 1) throw f.bad("capacity_of_str_len", "must be >= 1", f.get("capacity_of_str_len"));
        Double timeout = f.optDouble("timeout");
        if (timeout != null && timeout <= 0) throw f.bad("timeout", "must be > 0 seconds", f.get("timeout"));
        if (f.getBool("streaming", false)) {
            throw f.bad("streaming", "streaming sessions (KV pinned per session) are not supported by sglang4j");
        }
        String id;
        try {
            id = ctx.engine().openSession(f.optString("session_id"), capacity, timeout);
        } catch (InvalidRequestException e) {
            throw new ApiException(e.status(), "invalid_request_error", e.param(), e.getMessage(), 0);
        }
        call.sendJson(200, id);
    }

    public void closeSession(HttpCall call) throws IOException {
        JsonFields f = JsonFields.of(call.jsonBody(false), "");
        f.rejectUnknown(Set.of("session_id"));
        String id = f.optString("session_id");
        if (id == null) throw f.bad("session_id", "session_id is required");
        if (!ctx.engine().closeSession(id)) throw ApiException.notFound("session '" + id + "' is not open");
        call.sendEmpty(200);
    }

    /** Prometheus text: the engine's {@code sglang:} metrics, then the HTTP layer's. Needs --enable-metrics. */
    public void metrics(HttpCall call) throws IOException {
        if (!ctx.args().enableMetrics()) {
            throw ApiException.notFound("metrics are disabled; start the server with --enable-metrics");
        }
        StringBuilder sb = new StringBuilder();
        if (ctx.engineLoaded()) sb.append(ctx.engine().prometheusText());
        if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
        sb.append(ctx.httpMetrics().prometheusText());
        call.sendText(200, "text/plain; version=0.0.4; charset=utf-8", sb.toString());
    }
}
