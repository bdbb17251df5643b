package org.sglang4j.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The front door: the JDK {@link HttpServer} with one virtual thread per exchange (measured as fast as Helidon in
 * java-stack.md §3.1; a blocked stream just parks its virtual thread). Every request passes, in order: CORS,
 * routing (404/405), bearer auth (401), the lifecycle gate (503 + {@code Retry-After} while starting or draining),
 * then its handler; any {@link ApiException} becomes an OpenAI-shaped error and anything else a logged 500.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());

    /** Requests carrying this header with the per-process token pass the gate while starting (start-up warm-ups). */
    public static final String WARMUP_HEADER = "X-Sglang4j-Warmup";

    static {
        // Read once by the JDK server's config class: send small SSE events without Nagle delays, and keep enough
        // idle keep-alive connections for hundreds of concurrent clients.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "1024");
        }
    }

    /**
     * @param apiKey       null = no auth
     * @param maxBodyBytes request bodies above this are refused with 413
     */
    public record Options(String host, int port, String apiKey, long maxBodyBytes) {}

    private final Options options;
    private final Router router;
    private final Lifecycle lifecycle;
    private final HttpMetrics metrics;
    private final String warmupToken = UUID.randomUUID().toString();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    private ApiServer(Options options, Router router, Lifecycle lifecycle, HttpMetrics metrics) throws IOException {
        this.options = options;
        this.router = router;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Binds and starts serving; {@code port} 0 picks a free port (tests). */
    public static ApiServer start(Options options, Router router, Lifecycle lifecycle, HttpMetrics metrics)
            throws IOException {
        ApiServer s = new ApiServer(options, router, lifecycle, metrics);
        s.server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String warmupToken() {
        return warmupToken;
    }

    /** Closes the listener and waits up to {@code delaySeconds} for open exchanges. */
    public void stop(int delaySeconds) {
        server.stop(delaySeconds);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        stop(0);
    }

    private void handle(HttpExchange exchange) {
        long t0 = System.nanoTime();
        HttpCall call = new HttpCall(exchange, options.maxBodyBytes());
        String metricPath = "other";
        boolean admitted = false;
        try {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            if (call.method().equals("OPTIONS")) {
                preflight(call);
                return;
            }
            Router.Route route = router.find(call.method(), call.path());
            metricPath = route.path();
            if (route.kind().needsAuth && options.apiKey() != null) checkAuth(call);
            admitted = admit(call, route);
            route.handler().handle(call);
        } catch (ApiException e) {
            if (!call.responded()) {
                try {
                    call.sendError(e);
                } catch (IOException ignored) {
                    // client already gone
                }
            }
        } catch (IOException e) {
            LOG.fine(() -> "client connection closed during " + call.method() + " " + call.path() + ": " + e);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "internal error in " + call.method() + " " + call.path(), e);
            if (!call.responded()) {
                try {
                    call.sendError(new ApiException(500, "internal_server_error", null,
                            "internal server error: " + e, 0));
                } catch (IOException ignored) {
                    // client already gone
                }
            }
        } finally {
            exchange.close();
            // Only now is the response complete on the wire (the last chunk goes out on close), so a drain that
            // waits for this exit never cuts a stream short.
            if (admitted) lifecycle.exit();
            metrics.record(call.method(), metricPath, call.responded() ? call.status() : 500, System.nanoTime() - t0);
        }
    }

    /**
     * The lifecycle gate. Returns true when the request was counted in flight (inference), so the caller must
     * {@link Lifecycle#exit()}; throws a 503 when the server cannot take it now.
     */
    private boolean admit(HttpCall call, Router.Route route) {
        boolean warmup = warmupToken.equals(call.header(WARMUP_HEADER));
        return switch (route.kind()) {
            case HEALTH, METRICS -> false;
            case INFERENCE -> {
                if (!(warmup ? lifecycle.tryEnterWarmup() : lifecycle.tryEnter())) throw notServing(lifecycle.state());
                yield true;
            }
            case ADMIN -> {
                Lifecycle.State s = lifecycle.state();
                boolean engineUp = s == Lifecycle.State.READY || s == Lifecycle.State.DRAINING
                        || (warmup && s == Lifecycle.State.STARTING);
                if (!engineUp) throw notServing(s);
                yield false;
            }
        };
    }

    /** The 503 for a request that arrives while the server cannot serve it. */
    public static ApiException notServing(Lifecycle.State state) {
        return switch (state) {
            case STARTING -> ApiException.unavailable("server is starting (loading the model or warming up); retry shortly", 5);
            case DRAINING -> ApiException.unavailable("server is shutting down and no longer accepts requests; retry on another replica", 1);
            case STOPPED -> ApiException.unavailable("server is stopped", 1);
            case READY -> ApiException.unavailable("server is ready", 0);
        };
    }

    private void checkAuth(HttpCall call) {
        String auth = call.header("Authorization");
        String expected = "Bearer " + options.apiKey();
        boolean ok = auth != null && MessageDigest.isEqual(auth.trim().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            call.setHeader("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "authentication_error", null, auth == null
                    ? "missing API key: send the header 'Authorization: Bearer <api key>'"
                    : "invalid API key in the Authorization header", 0);
        }
    }

    private void preflight(HttpCall call) throws IOException {
        List<String> methods = new ArrayList<>(router.methods(call.path()));
        if (methods.isEmpty()) throw ApiException.notFound("no route for " + call.path());
        methods.add("OPTIONS");
        call.setHeader("Access-Control-Allow-Methods", String.join(", ", methods));
        String asked = call.header("Access-Control-Request-Headers");
        call.setHeader("Access-Control-Allow-Headers", asked != null ? asked : "Authorization, Content-Type");
        call.setHeader("Access-Control-Max-Age", "86400");
        call.sendEmpty(204);
    }
}
