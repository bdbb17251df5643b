package org.sglang4j.core.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Hugging Face Hub with the same URLs and headers: {@code GET /api/models/{repo}} lists
 * files; {@code HEAD|GET /{repo}/resolve/{rev}/{file}} answers small files directly (ETag) and LFS files
 * ({@code .gguf}, {@code .safetensors}) with a 302 to a CDN URL on a different host name (127.0.0.1 instead of
 * localhost) carrying {@code X-Linked-Etag} (the sha256) and {@code X-Linked-Size}, like the real Hub. The CDN
 * honours {@code Range: bytes=N-}. Failure injection: drop the connection half-way through the next CDN
 * responses, or ignore Range requests.
 */
final class FakeHubServer implements AutoCloseable {
    record Request(String method, String path, String authorization, String range) {}

    private record Repo(String sha, Map<String, byte[]> files) {}

    private final HttpServer server;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger dropsLeft = new AtomicInteger();
    final AtomicInteger stallsLeft = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    volatile boolean ignoreRange;

    FakeHubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor); // a stalled response must not block the retry
        server.start();
    }

    /** The endpoint as clients should see it (host name "localhost"). */
    URI endpoint() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    void addRepo(String repoId, String sha, Map<String, byte[]> files) {
        repos.put(repoId, new Repo(sha, new LinkedHashMap<>(files)));
        for (byte[] content : files.values()) blobs.put(sha256(content), content);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static boolean isLfs(String file) {
        return file.endsWith(".gguf") || file.endsWith(".safetensors");
    }

    List<Request> requestsTo(String pathPrefix) {
        return requests.stream().filter(r -> r.path.startsWith(pathPrefix)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestHeaders().getFirst("Range")));
        try (ex) {
            if (path.startsWith("/api/models/")) apiModels(ex, path.substring("/api/models/".length()));
            else if (path.startsWith("/cdn/")) cdn(ex, path.substring("/cdn/".length()));
            else resolve(ex, path);
        }
    }

    private void apiModels(HttpExchange ex, String repoId) throws IOException {
        Repo repo = repos.get(repoId);
        if (repo == null) {
            send(ex, 404, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + repoId + "\",\"sha\":\"" + repo.sha + "\",\"siblings\":[");
        int i = 0;
        for (String f : repo.files.keySet()) json.append(i++ == 0 ? "" : ",").append("{\"rfilename\":\"").append(f).append("\"}");
        send(ex, 200, json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    private void resolve(HttpExchange ex, String path) throws IOException {
        // /{org}/{name}/resolve/{rev}/{file...}
        String[] parts = path.substring(1).split("/", 5);
        Repo repo = parts.length == 5 && parts[2].equals("resolve") ? repos.get(parts[0] + "/" + parts[1]) : null;
        byte[] content = repo == null ? null : repo.files.get(parts[4]);
        if (content == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        var h = ex.getResponseHeaders();
        h.add("X-Repo-Commit", repo.sha);
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (isLfs(parts[4])) {
            String hash = sha256(content);
            h.add("X-Linked-Etag", "\"" + hash + "\"");
            h.add("X-Linked-Size", Long.toString(content.length));
            h.add("ETag", "W/\"cdn-" + hash.substring(0, 8) + "\"");
            h.add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/cdn/" + hash);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        h.add("ETag", "\"" + sha256(content).substring(0, 40) + "\"");
        if (head) {
            h.add("Content-Length", Long.toString(content.length));
            ex.sendResponseHeaders(200, -1);
        } else {
            send(ex, 200, content);
        }
    }

    private void cdn(HttpExchange ex, String hash) throws IOException {
        byte[] content = blobs.get(hash);
        if (content == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null && !ignoreRange) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - from;
        ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        if (dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            out.write(content, from, length / 2);
            out.flush();
            // An exception out of the handler makes the JDK server close the connection mid-body.
            throw new IOException("simulated connection drop");
        }
        if (stallsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            out.write(content, from, length / 2);
            out.flush();
            try {
                Thread.sleep(60_000); // a silent, still-open connection; interrupted when the server stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("simulated stall");
        }
        out.write(content, from, length);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) ex.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
