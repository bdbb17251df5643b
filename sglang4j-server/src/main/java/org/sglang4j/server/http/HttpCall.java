package org.sglang4j.server.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP exchange as a handler sees it: the request with a size-limited body, and exactly one response (JSON,
 * text or an SSE stream).
 */
public final class HttpCall {

    private final HttpExchange exchange;
    private final long maxBodyBytes;
    private final long arrivalNanos = System.nanoTime();
    private int status;

    HttpCall(HttpExchange exchange, long maxBodyBytes) {
        this.exchange = exchange;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@link System#nanoTime()} when the request arrived: {@code e2e_latency} counts from here, as in SGLang. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    public Map<String, String> query() {
        Map<String, String> out = new LinkedHashMap<>();
        URI uri = exchange.getRequestURI();
        String raw = uri.getRawQuery();
        if (raw == null) return out;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** True once a status line was sent; afterwards errors can only end the stream. */
    public boolean responded() {
        return status != 0;
    }

    int status() {
        return status;
    }

    /** The request body, refused with 413 beyond the limit (checked on Content-Length first, then while reading). */
    public byte[] body() throws IOException {
        String declared = header("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(null, "Content-Length is not a number: " + declared);
            }
            if (n > maxBodyBytes) throw tooLarge();
        }
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[16384];
        for (int r; (r = in.read(chunk)) > 0; ) {
            if (buf.size() + (long) r > maxBodyBytes) throw tooLarge();
            buf.write(chunk, 0, r);
        }
        return buf.toByteArray();
    }

    /** The body as JSON; for endpoints where the body is optional, an empty body reads as {@code {}}. */
    public JsonNode jsonBody(boolean optional) throws IOException {
        byte[] b = body();
        if (optional && isBlank(b)) return Json.MAPPER.createObjectNode();
        return Json.parse(b);
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (x != ' ' && x != '\n' && x != '\r' && x != '\t') return false;
        return true;
    }

    private ApiException tooLarge() {
        // The rest of the body is not read; the connection must not be reused.
        exchange.getResponseHeaders().set("Connection", "close");
        return new ApiException(413, "invalid_request_error", null,
                "request body exceeds the limit of " + maxBodyBytes + " bytes (see --max-request-body-bytes)", 0);
    }

    public void setHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    public void sendJson(int status, Object body) throws IOException {
        send(status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    public void sendText(int status, String contentType, String text) throws IOException {
        send(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An empty 200/204 response. */
    public void sendEmpty(int status) throws IOException {
        this.status = status;
        exchange.sendResponseHeaders(status, -1);
    }

    public void sendError(ApiException e) throws IOException {
        if (e.retryAfter() > 0) setHeader("Retry-After", Integer.toString(e.retryAfter()));
        sendJson(e.status(), e.toJson());
    }

    private void send(int status, String contentType, byte[] bytes) throws IOException {
        this.status = status;
        setHeader("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Starts a {@code text/event-stream} response (chunked, no buffering by proxies). */
    public SseWriter startSse() throws IOException {
        this.status = 200;
        setHeader("Content-Type", "text/event-stream; charset=utf-8");
        setHeader("Cache-Control", "no-cache");
        setHeader("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        return new SseWriter(exchange.getResponseBody());
    }
}
