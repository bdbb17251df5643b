package org.sglang4j.engine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.io.Detokenizer;
import org.sglang4j.engine.metrics.EngineMetrics;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.req.GenerateResult;
import org.sglang4j.engine.req.Req;
import org.sglang4j.engine.req.ReqState;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.engine.runner.ForwardModel;
import org.sglang4j.engine.runner.LoadedModel;
import org.sglang4j.grammar.CompiledGrammar;
import org.sglang4j.engine.runner.ModelRunner;
import org.sglang4j.engine.scheduler.Scheduler;
import org.sglang4j.engine.scheduler.SchedulerConfig;
import org.sglang4j.engine.scheduler.SchedulerInput;

/**
 * The in-process engine API used by the server, the benchmarks and the frontend language. One scheduler thread
 * owns all mutable state (KV pool, radix cache, batches); the methods here only validate and post messages to it
 * and are safe to call from any thread. Outputs come back through the detokenizer thread.
 */
public final class Engine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("sglang4j.engine");

    private final ModelInfo info;
    private final Tokenizer tokenizer;
    private final SchedulerConfig schedulerConfig;
    private final LinkedBlockingQueue<SchedulerInput> inbox = new LinkedBlockingQueue<>();
    private final Scheduler scheduler;
    private final Detokenizer detokenizer;
    private final EngineMetrics metrics;
    private final Thread schedulerThread;
    private final Thread detokenizerThread;
    private final Set<String> openSessions = ConcurrentHashMap.newKeySet();
    private final ForwardModel forward;
    private final Grammars grammars;
    private final Long randomSeed;
    private final java.util.concurrent.atomic.AtomicLong seedCounter = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private Engine(EngineConfig config, LoadedModel model, EngineSizing sizing) {
        this.tokenizer = model.tokenizer();
        this.schedulerConfig = sizing.schedulerConfig(config, tokenizer);
        String served = config.servedModelName() != null ? config.servedModelName()
                : config.modelPath() != null ? config.modelPath() : "sglang4j-demo";
        this.info = new ModelInfo(config.modelPath(), config.tokenizerPath() != null ? config.tokenizerPath()
                : config.modelPath(), served, model.architecture(), model.quantization(), sizing.contextLength(),
                model.vocabSize(), model.weightBytes(), sizing.maxTotalTokens(),
                (long) sizing.maxTotalTokens() * model.kvBytesPerToken(), sizing.maxRunningRequests(),
                config.modelPath() == null);
        this.forward = model.forward().create(sizing.maxTotalTokens(), sizing.maxTokensPerForward(), config.threads());
        ModelRunner runner = new ModelRunner(forward, tokenizer.eosIds(), tokenizer.vocabSize());
        this.grammars = new Grammars(tokenizer);
        this.randomSeed = config.randomSeed();
        this.metrics = new EngineMetrics(served, this::stats);
        this.detokenizer = new Detokenizer(tokenizer, metrics);
        this.scheduler = new Scheduler(schedulerConfig, runner, tokenizer, inbox, detokenizer::accept);
        this.detokenizerThread = Thread.ofPlatform().name("sglang4j-detokenizer").daemon().start(detokenizer);
        this.schedulerThread = Thread.ofPlatform().name("sglang4j-scheduler").daemon().start(scheduler);
    }

    /**
     * Loads the model ({@code --model-path}: GGUF, llama2.c .bin, or null for the built-in demo model), sizes the
     * KV pool, runs warm-ups and starts the scheduler thread.
     */
    public static Engine start(EngineConfig config) {
        return start(config, ModelFiles.load(config));
    }

    /** Starts an engine over an already loaded model (tests, benchmarks, embedding). */
    public static Engine start(EngineConfig config, LoadedModel model) {
        EngineSizing sizing = EngineSizing.of(config, model);
        Engine engine = new Engine(config, model, sizing);
        LOG.log(Level.INFO, () -> "KV cache pool: " + sizing.maxTotalTokens() + " tokens ("
                + engine.info.kvCacheBytes() / (1 << 20) + " MiB, resident as slots are first used), max running requests "
                + sizing.maxRunningRequests() + ", context length " + sizing.contextLength());
        engine.warmUp(config.warmups());
        return engine;
    }

    private void warmUp(int n) {
        for (int i = 0; i < n; i++) {
            int first = tokenizer.bosId() >= 0 ? tokenizer.bosId() : 0;
            CompletableFuture<Void> done = new CompletableFuture<>();
            GenerateRequest g = new GenerateRequest("warmup-" + i, new int[] {first},
                    SamplingParams.builder().temperature(0).maxNewTokens(4).build(), false, -1, 0, null, false);
            submit(g, o -> {
                if (o.finished()) done.complete(null);
            });
            done.join();
        }
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ModelInfo modelInfo() {
        return info;
    }

    /**
     * Queues a request; outputs arrive at {@code listener}. Validates first (prompt within the context length,
     * grammar compiles — the compile may block the calling thread, never the scheduler) and throws
     * {@link InvalidRequestException} for a request that must not run.
     */
    public void submit(GenerateRequest request, GenerateListener listener) {
        if (closed) throw new InvalidRequestException(503, null, "engine is shutting down");
        RequestValidator.validate(request, info, schedulerConfig, openSessions);
        SamplingParams sampling = request.sampling();
        if (sampling.seed() == null && randomSeed != null) {
            // --random-seed: requests without their own seed get reproducible ones, in submission order.
            sampling = sampling.toBuilder().seed(randomSeed + seedCounter.getAndIncrement()).build();
        }
        // Compiling may take a while (it is cached by constraint text): it blocks this caller, never the scheduler.
        CompiledGrammar grammar = sampling.constraint() == null ? null : grammars.compile(sampling.constraint());
        long now = System.nanoTime();
        if (sampling.n() == 1) {
            ReqState state = new ReqState(listener, sampling, now, request.logMetrics());
            Req req = new Req(request.rid(), 0, request, sampling, request.inputIds(), state, now);
            if (grammar != null) req.setGrammar(grammar.newMatcher());
            inbox.add(new SchedulerInput.GenerateReqInput(List.of(req), null));
            return;
        }
        // Parallel sampling (SGLang): prefill the prompt once with max_new_tokens = 0, then n samples hit it.
        SamplingParams prefillOnly = sampling.toBuilder().maxNewTokens(0).minNewTokens(0).n(1).build();
        Req parent = new Req(request.rid(), 0, request, prefillOnly, request.inputIds(), null, now);
        List<Req> samples = new ArrayList<>(sampling.n());
        for (int i = 0; i < sampling.n(); i++) {
            SamplingParams one = sampling.toBuilder().n(1)
                    .seed(sampling.seed() == null ? null : sampling.seed() + i).build();
            ReqState state = new ReqState(listener, one, now, request.logMetrics());
            Req sample = new Req(request.rid() + "-" + i, i, request, one, request.inputIds(), state, now);
            if (grammar != null) sample.setGrammar(grammar.newMatcher());
            samples.add(sample);
        }
        inbox.add(new SchedulerInput.GenerateReqInput(samples, parent));
    }

    /**
     * Runs a request to the end and completes with its whole output (the callback form, {@link #submit}, streams
     * it). Validation failures throw here, as in {@code submit}; an abort completes normally with an
     * {@link FinishReason.Abort} finish reason. With {@code n > 1} the result is sample 0.
     */
    public CompletableFuture<GenerateResult> generate(GenerateRequest request) {
        CompletableFuture<GenerateResult> result = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        java.util.stream.IntStream.Builder ids = java.util.stream.IntStream.builder();
        List<TokenLogprob> logprobs = new ArrayList<>();
        // Outputs of one request arrive in order on the output thread: plain accumulation is enough.
        submit(request, out -> {
            if (out.index() != 0) return;
            text.append(out.textDelta());
            for (int id : out.newTokenIds()) ids.add(id);
            logprobs.addAll(out.outputLogprobs());
            if (out.finished()) {
                result.complete(new GenerateResult(out.rid(), text.toString(), ids.build().toArray(), out.finishReason(),
                        out.promptTokens(), out.completionTokens(), out.cachedTokens(), List.copyOf(logprobs)));
            }
        });
        return result;
    }

    /** Aborts a queued or running request and frees its KV at once; unknown ids are ignored. */
    public void abort(String rid) {
        inbox.add(new SchedulerInput.AbortReq(rid));
    }

    /** Empties the radix cache; refused (false) while requests are running or queued, as in SGLang. */
    public boolean flushCache() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.FlushCache(done));
        return done.join();
    }

    /** Opens a session; returns its id ({@code requestedId} or a new uuid). */
    public String openSession(String requestedId, int capacityOfStrLen, Double timeoutSeconds) {
        CompletableFuture<String> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.OpenSession(requestedId, capacityOfStrLen, timeoutSeconds, done));
        try {
            String id = done.join();
            openSessions.add(id);
            return id;
        } catch (CompletionException e) {
            throw new InvalidRequestException(400, "session_id", e.getCause().getMessage());
        }
    }

    public boolean closeSession(String sessionId) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.CloseSession(sessionId, done));
        openSessions.remove(sessionId);
        return done.join();
    }

    public EngineStats stats() {
        EngineStats s = scheduler.stats();
        return new EngineStats(s.runningReqs(), s.queuedReqs(), grammars.compiling(), s.usedTokens(),
                s.maxTotalTokens(), s.tokenUsage(), s.cacheHitRate(), s.genThroughput(), s.totalRetractions());
    }

    /**
     * Bytes of the KV pool resident in memory now: the slots used so far (the pool is mapped lazily, see
     * {@code KvCache}); -1 where unknown. Safe from any thread.
     */
    public long kvCacheResidentBytes() {
        return forward.kvResidentBytes();
    }

    /** Prometheus text exposition of the engine metrics (SGLang names, {@code sglang:} prefix). */
    public String prometheusText() {
        return metrics.prometheusText();
    }

    /** Runs {@code check} on the scheduler thread, where engine state may be read (tests, diagnostics). */
    void onSchedulerThread(Runnable check) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        inbox.add(new SchedulerInput.Inspect(check, done));
        done.join();
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** Stops the scheduler; in-flight requests are aborted. Callers drain first for a graceful shutdown. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        inbox.add(new SchedulerInput.Shutdown());
        try {
            schedulerThread.join(TimeUnit.SECONDS.toMillis(30));
            detokenizer.stop();
            detokenizerThread.join(TimeUnit.SECONDS.toMillis(10));
            if (forward instanceof AutoCloseable c) c.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the model failed", e);
        }
    }
}
