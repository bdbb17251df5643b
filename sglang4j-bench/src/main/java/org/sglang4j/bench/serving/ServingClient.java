package org.sglang4j.bench.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * Sends one streamed request and times it: TTFT at the first event carrying generated text, an inter-token gap at
 * every later one, e2e latency at the end of the stream. Token counts come from the server where it reports them
 * and from our tokenizer otherwise. Failures (connection, HTTP status, an error event, a stream that ends without
 * its final event) become failed results, never exceptions: a benchmark run reports them and goes on.
 */
public final class ServingClient {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sglang4j-bench-request-timeout");
        t.setDaemon(true);
        return t;
    });

    private final HttpClient http;
    private final URI uri;
    private final Backend backend;
    private final String model;
    private final Tokenizer tokenizer;
    private final Duration timeout;
    private final String apiKey;

    public ServingClient(String baseUrl, Backend backend, String model, Tokenizer tokenizer, Duration timeout,
                         String apiKey) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.uri = URI.create(stripSlash(baseUrl) + backend.path);
        this.backend = backend;
        this.model = model;
        this.tokenizer = tokenizer;
        this.timeout = timeout;
        this.apiKey = apiKey;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Sends {@code r}; {@code originNanos} is the benchmark's time origin ({@link System#nanoTime()}). */
    public RequestResult send(GenerationRequest r, int conversation, int turn, int ourPromptTokens, long originNanos) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(backend.body(r, model)));
        if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
        HttpRequest request = rb.build();
        long t0 = System.nanoTime();
        double start = (t0 - originNanos) / 1e9;
        try {
            HttpResponse<Stream<String>> resp;
            try {
                resp = http.send(request, HttpResponse.BodyHandlers.ofLines());
            } catch (HttpTimeoutException slow) {
                throw slow;
            } catch (IOException staleConnection) {
                // Servers close idle or much-used keep-alive connections (llama-server after 5 requests); the
                // client notices only when it reuses one and gets no bytes back. The request never ran: resend
                // it once on a fresh connection and time it from there.
                t0 = System.nanoTime();
                start = (t0 - originNanos) / 1e9;
                resp = http.send(request, HttpResponse.BodyHandlers.ofLines());
            }
            Stream<String> lines = resp.body();
            // The request timeout covers only the wait for the headers; a stream that stalls after them is cut here.
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                expired.set(true);
                lines.close();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try (lines) {
                if (resp.statusCode() != 200) {
                    String body = String.join("\n", lines.limit(20).toList());
                    return RequestResult.failure(conversation, turn, start, (System.nanoTime() - t0) / 1e9,
                            "HTTP " + resp.statusCode() + ": " + abbreviate(body));
                }
                RequestResult result = read(lines.iterator(), r, conversation, turn, ourPromptTokens, t0, start);
                return expired.get() ? RequestResult.failure(conversation, turn, start, (System.nanoTime() - t0) / 1e9,
                        "no complete response within " + timeout.toSeconds() + " s (--request-timeout)") : result;
            } catch (RuntimeException e) {
                if (!expired.get()) throw e;
                return RequestResult.failure(conversation, turn, start, (System.nanoTime() - t0) / 1e9,
                        "no complete response within " + timeout.toSeconds() + " s (--request-timeout)");
            } finally {
                watchdog.cancel(false);
            }
        } catch (IOException | RuntimeException e) {
            return RequestResult.failure(conversation, turn, start, (System.nanoTime() - t0) / 1e9, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RequestResult.failure(conversation, turn, start, (System.nanoTime() - t0) / 1e9, "interrupted");
        }
    }

    private RequestResult read(Iterator<String> lines, GenerationRequest r, int conversation, int turn,
                               int ourPromptTokens, long t0, double start) {
        StringBuilder text = new StringBuilder();
        double[] itl = new double[Math.max(16, r.maxTokens())];
        int gaps = 0;
        long first = -1;
        long last = -1;
        int tokens = 0;
        int promptTokens = -1;
        int completionTokens = -1;
        int cached = -1;
        boolean finished = false;
        while (lines.hasNext()) {
            String line = lines.next();
            if (!line.startsWith("data:")) {
                if (line.startsWith("error:")) {
                    return RequestResult.failure(conversation, turn, start, (System.nanoTime() - t0) / 1e9, line);
                }
                continue;
            }
            long now = System.nanoTime();
            StreamChunk c = backend.parse(line.substring(5).trim(), text.toString());
            if (c == null) break;
            if (c.error() != null) {
                return RequestResult.failure(conversation, turn, start, (now - t0) / 1e9, "stream error: " + c.error());
            }
            int before = tokens;
            if (c.newTokens() >= 0) tokens += c.newTokens();
            else if (backend == Backend.SGLANG4J && c.completionTokens() >= 0) tokens = c.completionTokens();
            else if (!c.textDelta().isEmpty()) tokens++;
            if (tokens > before || !c.textDelta().isEmpty()) {
                if (first < 0) {
                    first = now;
                } else {
                    if (gaps == itl.length) itl = java.util.Arrays.copyOf(itl, gaps * 2);
                    itl[gaps++] = (now - last) / 1e9;
                }
                last = now;
            }
            text.append(c.textDelta());
            if (c.promptTokens() >= 0) promptTokens = c.promptTokens();
            if (c.completionTokens() >= 0) completionTokens = c.completionTokens();
            if (c.cachedTokens() >= 0) cached = c.cachedTokens();
            finished |= c.finished();
        }
        long end = System.nanoTime();
        if (!finished) {
            return RequestResult.failure(conversation, turn, start, (end - t0) / 1e9,
                    "stream ended before the server's final event");
        }
        String out = text.toString();
        int outputTokens = completionTokens >= 0 ? completionTokens
                : tokens > 0 ? tokens : tokenizer.encode(out, false, false).length;
        return new RequestResult(conversation, turn, true, null, start, first < 0 ? Double.NaN : (first - t0) / 1e9,
                (end - t0) / 1e9, java.util.Arrays.copyOf(itl, gaps), promptTokens >= 0 ? promptTokens : ourPromptTokens,
                outputTokens, cached, out);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
