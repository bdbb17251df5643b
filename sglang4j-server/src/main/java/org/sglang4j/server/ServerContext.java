package org.sglang4j.server;

import org.sglang4j.server.http.ApiServer;
import org.sglang4j.server.http.HttpMetrics;
import org.sglang4j.server.http.Lifecycle;

/**
 * What every handler shares: the arguments, the engine (set once it has loaded), the running rids, the lifecycle
 * and the HTTP metrics. Built in one place ({@link SglangServer}); handlers receive it in their constructor.
 */
public final class ServerContext {

    private final ServerArgs args;
    private final Lifecycle lifecycle;
    private final HttpMetrics httpMetrics = new HttpMetrics();
    private final RequestRegistry registry = new RequestRegistry();
    private volatile EngineClient engine;

    public ServerContext(ServerArgs args, Lifecycle lifecycle) {
        this.args = args;
        this.lifecycle = lifecycle;
    }

    public ServerArgs args() {
        return args;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public HttpMetrics httpMetrics() {
        return httpMetrics;
    }

    public RequestRegistry registry() {
        return registry;
    }

    /** The loaded engine; a 503 while it is still loading. */
    public EngineClient engine() {
        EngineClient e = engine;
        if (e == null) throw ApiServer.notServing(Lifecycle.State.STARTING);
        return e;
    }

    public boolean engineLoaded() {
        return engine != null;
    }

    void engineLoaded(EngineClient e) {
        this.engine = e;
    }

    /** The model name clients see ({@code --served-model-name}, else the engine's, else the model path). */
    public String servedModelName() {
        if (args.servedModelName() != null) return args.servedModelName();
        String fromEngine = engine().modelInfo().servedModelName();
        return fromEngine != null ? fromEngine : engine().modelInfo().modelPath();
    }
}
