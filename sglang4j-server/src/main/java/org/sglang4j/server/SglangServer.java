package org.sglang4j.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sglang4j.core.tensor.VnniKernels;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.server.http.ApiServer;
import org.sglang4j.server.http.Lifecycle;

/**
 * One serving process: binds the HTTP port first (probes get 503 + Retry-After while the model loads), loads the
 * engine, logs what was loaded, sends warm-up requests through the whole HTTP path (the first real request must not
 * pay for class loading and JIT — the case study's first-request latency pitfall), then reports ready.
 * {@link #shutdown} is the one graceful-stop path: SIGTERM, SIGINT and tests all use it.
 */
public final class SglangServer implements AutoCloseable {

    public static final String VERSION = "0.1.0";

    private static final Logger LOG = Logger.getLogger(SglangServer.class.getName());

    /** After the grace period: how long aborted requests get to send their last event. */
    private static final Duration ABORT_GRACE = Duration.ofSeconds(5);

    private final ServerContext ctx;
    private final ApiServer http;
    private final Object shutdownLock = new Object();
    private boolean shutDown;

    private SglangServer(ServerContext ctx, ApiServer http) {
        this.ctx = ctx;
        this.http = http;
    }

    /**
     * Starts serving and returns once ready: {@link #bind} then {@link #load}. If loading fails, the port is
     * released and the failure rethrown.
     */
    public static SglangServer start(ServerArgs args, Function<ServerArgs, EngineClient> loader) throws IOException {
        SglangServer server = bind(args);
        server.load(loader);
        return server;
    }

    /** Opens the port in the starting state: probes get 503 + Retry-After until {@link #load} finishes. */
    public static SglangServer bind(ServerArgs args) throws IOException {
        Lifecycle lifecycle = new Lifecycle();
        ServerContext ctx = new ServerContext(args, lifecycle);
        ApiServer http = ApiServer.start(new ApiServer.Options(args.host(), args.port(), args.apiKey(),
                args.maxRequestBodyBytes()), Routes.build(ctx), lifecycle, ctx.httpMetrics());
        SglangServer server = new SglangServer(ctx, http);
        LOG.info(() -> "listening on " + server.url() + " (starting: /health answers 503 until ready)");
        return server;
    }

    /**
     * Loads the engine ({@code loader}, e.g. {@code args -> EngineClient.of(Engine.start(args.engineConfig()),
     * args.chatTemplate())}), logs what was loaded, warms up, then reports ready. On failure the server is shut
     * down and the failure rethrown.
     */
    public void load(Function<ServerArgs, EngineClient> loader) {
        ServerArgs args = ctx.args();
        EngineClient engine;
        try {
            LOG.info(() -> "loading " + (args.modelPath() == null ? "the built-in demo model (no --model-path given)"
                    : args.modelPath()));
            long t0 = System.nanoTime();
            engine = loader.apply(args);
            logLoaded(engine.modelInfo(), (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException | Error e) {
            shutdown(Duration.ZERO);
            throw e;
        }
        ctx.engineLoaded(engine);
        try {
            warmUp(args.warmups());
        } catch (RuntimeException e) {
            shutdown(Duration.ZERO);
            throw e;
        }
        ctx.lifecycle().ready();
        LOG.info(() -> "ready: " + url() + " (native /generate, OpenAI /v1/chat/completions)");
    }

    private static void logLoaded(ModelInfo m, double seconds) {
        LOG.info(String.format(Locale.ROOT, "model: %s%s (architecture %s, quantization %s, context %d, vocab %d), "
                        + "loaded in %.1f s", m.modelPath() != null ? m.modelPath() : m.servedModelName(),
                m.isDemoModel() ? " [built-in demo model]" : "",
                m.architecture(), m.quantization(), m.contextLength(), m.vocabSize(), seconds));
        LOG.info(String.format(Locale.ROOT, "memory: weights %.1f MiB, KV cache %.1f MiB (%d tokens), "
                        + "max running requests %d", m.weightBytes() / 1048576.0, m.kvCacheBytes() / 1048576.0,
                m.maxTotalTokens(), m.maxRunningRequests()));
        LOG.info("kernels: " + VnniKernels.describe());
    }

    /** Real HTTP requests to ourselves, let through the 503 gate by a per-process token. */
    private void warmUp(int count) {
        if (count == 0) return;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String body = "{\"text\": \"The capital city of France is\", "
                + "\"sampling_params\": {\"max_new_tokens\": 8, \"temperature\": 0}}";
        for (int i = 1; i <= count; i++) {
            long t0 = System.nanoTime();
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(localUrl() + "/generate"))
                    .header("Content-Type", "application/json")
                    .header(ApiServer.WARMUP_HEADER, http.warmupToken())
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (ctx.args().apiKey() != null) rb.header("Authorization", "Bearer " + ctx.args().apiKey());
            try {
                HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) throw new IllegalStateException("warm-up request " + i + " failed: HTTP "
                        + r.statusCode() + " " + r.body());
            } catch (IOException e) {
                throw new IllegalStateException("warm-up request " + i + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during warm-up", e);
            }
            int n = i;
            LOG.info(() -> String.format(Locale.ROOT, "warm-up %d/%d done in %.0f ms", n, count,
                    (System.nanoTime() - t0) / 1e6));
        }
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return "http://" + (ctx.args().host().contains(":") ? "[" + ctx.args().host() + "]" : ctx.args().host())
                + ":" + port();
    }

    /** Where this process reaches itself: a wildcard bind address is not a destination. */
    private String localUrl() {
        String h = ctx.args().host();
        String local = h.equals("0.0.0.0") ? "127.0.0.1" : h.equals("::") || h.equals("[::]") ? "[::1]"
                : h.contains(":") ? "[" + h + "]" : h;
        return "http://" + local + ":" + port();
    }

    public ServerContext context() {
        return ctx;
    }

    /**
     * Graceful stop: health turns 503 and new requests are refused with {@code Retry-After}, in-flight requests
     * run to completion for up to {@code grace}, then whatever is left is aborted, the port closed and the engine
     * stopped. Returns true if nothing had to be aborted. Idempotent.
     */
    public boolean shutdown(Duration grace) {
        synchronized (shutdownLock) {
            if (shutDown) return true;
            shutDown = true;
        }
        Lifecycle lifecycle = ctx.lifecycle();
        int inFlight = lifecycle.inFlight();
        LOG.info(() -> "shutting down: draining " + inFlight + " in-flight request(s), grace " + grace.toSeconds() + " s");
        boolean drained;
        try {
            drained = lifecycle.drain(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            LOG.warning(() -> "grace period over; aborting " + ctx.registry().size() + " request(s)");
            if (ctx.engineLoaded()) for (String rid : ctx.registry().snapshot()) ctx.engine().abort(rid);
            // Let the aborted requests end their responses (finish reason abort, [DONE]) before sockets close.
            try {
                lifecycle.drain(ABORT_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.stop(1);
        if (ctx.engineLoaded()) {
            try {
                ctx.engine().close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "engine did not close cleanly", e);
            }
        }
        lifecycle.stopped();
        LOG.info("stopped");
        return drained;
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    /** Blocks until {@link #shutdown} has finished. */
    public void awaitStopped() throws InterruptedException {
        ctx.lifecycle().awaitStopped();
    }

    /**
     * SIGTERM (Kubernetes, rolling upgrades) and SIGINT (Ctrl-C) drain within {@code --graceful-shutdown-timeout}
     * and exit 0, so a replaced pod loses no request. Installed right after {@link #bind}, so a signal while the
     * model loads also stops cleanly.
     */
    @SuppressWarnings("restriction")
    public void installSignalHandlers() {
        Duration grace = Duration.ofSeconds(ctx.args().gracefulShutdownTimeout());
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> Thread.ofPlatform().name("shutdown").start(() -> {
                LOG.info(() -> "received SIG" + sig.getName());
                shutdown(grace);
                System.exit(0);
            }));
        }
    }
}
