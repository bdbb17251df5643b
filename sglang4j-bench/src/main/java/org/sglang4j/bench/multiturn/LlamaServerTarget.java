package org.sglang4j.bench.multiturn;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sglang4j.bench.BenchJson;
import tools.jackson.databind.JsonNode;

/**
 * llama.cpp's {@code llama-server} as the peer: same GGUF, same threads, {@code --parallel} slots with its per-slot
 * prompt cache on. Prompts go as token-id arrays to {@code /completion} with streaming, so TTFT is the arrival of
 * the first streamed token; the prompt tokens it did not have to compute ({@code prompt_n} in the final timings)
 * count as cached.
 */
final class LlamaServerTarget implements ChatTarget {
    private final Process process;
    private final URI completion;
    static {
        // llama-server closes idle keep-alive connections after 5 s; a pooled connection it already closed fails
        // with "header parser received no bytes". Drop idle connections on our side first.
        System.setProperty("jdk.httpclient.keepalive.timeout", "2");
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final int parallel;

    LlamaServerTarget(Path llamaCppDir, Path model, int threads, int parallel, int contextPerSlot) throws Exception {
        this.parallel = parallel;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = List.of(llamaCppDir.resolve("llama-server").toString(), "-m", model.toString(),
                "-t", String.valueOf(threads), "-c", String.valueOf(contextPerSlot * parallel),
                "--parallel", String.valueOf(parallel), "--host", "127.0.0.1", "--port", String.valueOf(port));
        this.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        this.completion = URI.create("http://127.0.0.1:" + port + "/completion");
        waitHealthy(URI.create("http://127.0.0.1:" + port + "/health"));
    }

    private void waitHealthy(URI health) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("llama-server exited with " + process.exitValue());
            try {
                var r = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("llama-server did not become healthy");
    }

    @Override
    public String name() {
        return "llama.cpp server (--parallel " + parallel + ")";
    }

    @Override
    public TurnResult send(String rid, int[] prompt, int maxNew) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("prompt", prompt);
        body.put("n_predict", maxNew);
        body.put("temperature", 0);
        body.put("top_k", 1);
        body.put("ignore_eos", true);
        body.put("cache_prompt", true);
        body.put("stream", true);
        body.put("return_tokens", true);
        HttpRequest req = HttpRequest.newBuilder(completion).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BenchJson.MAPPER.writeValueAsString(body))).build();
        long start = System.nanoTime();
        long first = 0;
        List<Integer> out = new ArrayList<>();
        int computed = prompt.length;
        HttpResponse<Stream<String>> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            // A connection closed under us before the request was read: nothing ran, send it again.
            start = System.nanoTime();
            resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
        }
        if (resp.statusCode() != 200) throw new IOException("llama-server answered " + resp.statusCode());
        try (Stream<String> lines = resp.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (!line.startsWith("data: ")) continue;
                JsonNode chunk = BenchJson.MAPPER.readTree(line.substring(6));
                JsonNode tokens = chunk.get("tokens");
                if (tokens != null && !tokens.isEmpty()) {
                    if (first == 0) first = System.nanoTime();
                    for (JsonNode t : tokens) out.add(t.asInt());
                }
                if (chunk.path("stop").asBoolean(false)) {
                    JsonNode timings = chunk.get("timings");
                    if (timings != null && timings.has("prompt_n")) computed = timings.get("prompt_n").asInt();
                    break;
                }
            }
        }
        long end = System.nanoTime();
        return new TurnResult((first - start) / 1e9, (end - start) / 1e9,
                out.stream().mapToInt(Integer::intValue).toArray(), prompt.length, prompt.length - computed);
    }

    @Override
    public double reportedCacheHitRate() {
        return Double.NaN;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
