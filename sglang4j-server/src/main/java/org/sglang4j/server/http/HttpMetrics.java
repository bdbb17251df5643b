package org.sglang4j.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP-level counters appended to the engine's Prometheus text: requests by route and status, and a latency
 * histogram of whole exchanges (for streams: until the last event). The {@code sglang4j:} prefix keeps them apart
 * from SGLang's own {@code sglang:} names.
 */
public final class HttpMetrics {

    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private record Key(String method, String path, int status) {}

    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumMicros = new LongAdder();
    private final LongAdder disconnects = new LongAdder();

    public HttpMetrics() {
        for (int i = 0; i < BUCKETS.length; i++) bucketCounts[i] = new LongAdder();
    }

    /** {@code path} must be a route path or "other" (unknown paths would explode the label set). */
    public void record(String method, String path, int status, long nanos) {
        requests.computeIfAbsent(new Key(method, path, status), k -> new LongAdder()).increment();
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) bucketCounts[i].increment();
        count.increment();
        sumMicros.add(nanos / 1000);
    }

    public void clientDisconnected() {
        disconnects.increment();
    }

    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP sglang4j:http_requests_total HTTP requests by route and status.\n");
        sb.append("# TYPE sglang4j:http_requests_total counter\n");
        requests.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::path).thenComparing(Key::method)
                        .thenComparingInt(Key::status)))
                .forEach(e -> sb.append("sglang4j:http_requests_total{method=\"").append(e.getKey().method())
                        .append("\",path=\"").append(e.getKey().path()).append("\",status=\"")
                        .append(e.getKey().status()).append("\"} ").append(e.getValue().sum()).append('\n'));
        sb.append("# HELP sglang4j:http_request_duration_seconds Time from request to the last response byte.\n");
        sb.append("# TYPE sglang4j:http_request_duration_seconds histogram\n");
        for (int i = 0; i < BUCKETS.length; i++) {
            sb.append("sglang4j:http_request_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
                    .append(bucketCounts[i].sum()).append('\n');
        }
        long n = count.sum();
        sb.append("sglang4j:http_request_duration_seconds_bucket{le=\"+Inf\"} ").append(n).append('\n');
        sb.append("sglang4j:http_request_duration_seconds_sum ").append(sumMicros.sum() / 1e6).append('\n');
        sb.append("sglang4j:http_request_duration_seconds_count ").append(n).append('\n');
        sb.append("# HELP sglang4j:http_client_disconnects_total Streams whose client went away; each aborted its request.\n");
        sb.append("# TYPE sglang4j:http_client_disconnects_total counter\n");
        sb.append("sglang4j:http_client_disconnects_total ").append(disconnects.sum()).append('\n');
        return sb.toString();
    }
}
