package org.sglang4j.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Exact method + path routing; an unknown path is a 404 and a known path with the wrong method a 405. */
public final class Router {

    /** How the server front door treats a route before its handler runs. */
    public enum Kind {
        /** Liveness and readiness probes: no auth; the handler itself answers 503 while starting or draining. */
        HEALTH(false),
        /** Prometheus scrapes: no auth, as in SGLang. */
        METRICS(false),
        /** Generation: auth; 503 unless ready; counted in flight, so a drain waits for it to finish. */
        INFERENCE(true),
        /** Everything else: auth; 503 until the engine is loaded or once it is draining. */
        ADMIN(true);

        final boolean needsAuth;

        Kind(boolean needsAuth) {
            this.needsAuth = needsAuth;
        }
    }

    @FunctionalInterface
    public interface Handler {
        void handle(HttpCall call) throws Exception;
    }

    public record Route(String method, String path, Kind kind, Handler handler) {}

    private final Map<String, Map<String, Route>> routes = new TreeMap<>();

    public Router add(List<String> methods, String path, Kind kind, Handler handler) {
        for (String m : methods) {
            routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(m, new Route(m, path, kind, handler));
        }
        return this;
    }

    public Router get(String path, Kind kind, Handler handler) {
        return add(List.of("GET"), path, kind, handler);
    }

    public Router post(String path, Kind kind, Handler handler) {
        return add(List.of("POST"), path, kind, handler);
    }

    /**
     * The route for a request; HEAD is served by the GET route (the JDK server drops the body). A path with no
     * exact route may match a template ending in {@code {id}} (e.g. {@code /v1/models/{id}}); the id is the
     * rest of the path.
     */
    public Route find(String method, String path) {
        Map<String, Route> byMethod = routesFor(path);
        if (byMethod == null) throw ApiException.notFound("no route for " + method + " " + path);
        Route r = byMethod.get(method.equals("HEAD") ? "GET" : method);
        if (r == null) {
            throw new ApiException(405, "invalid_request_error", null,
                    "method " + method + " is not allowed on " + path + "; use " + String.join(" or ", byMethod.keySet()), 0);
        }
        return r;
    }

    private Map<String, Route> routesFor(String path) {
        Map<String, Route> exact = routes.get(path);
        if (exact != null) return exact;
        for (Map.Entry<String, Map<String, Route>> e : routes.entrySet()) {
            String key = e.getKey();
            if (!key.endsWith("/{id}")) continue;
            String prefix = key.substring(0, key.length() - "{id}".length());
            // The id is the rest of the path, slashes included (model names such as "Qwen/Qwen2-7B").
            if (path.startsWith(prefix) && path.length() > prefix.length()) return e.getValue();
        }
        return null;
    }

    /** Allowed methods of a path, for CORS pre-flight answers; empty when the path is unknown. */
    public List<String> methods(String path) {
        Map<String, Route> byMethod = routesFor(path);
        return byMethod == null ? List.of() : List.copyOf(byMethod.keySet());
    }
}
