package org.sglang4j.core.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The native llama.cpp server ({@code ../shared/peers/llama.cpp/llama-server}) as a test oracle: started on a
 * free port for one model, queried through {@code /completion} with token-id prompts, stopped by PID. The KV cache
 * is float32 unless other arguments are given, so only the weights' format separates the two implementations.
 */
public final class LlamaCppServer implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Thread shutdownHook;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One generated position: the chosen id and the {@code n_probs} best (id, log-probability) pairs. */
    public record Position(int id, double logprob, int[] topIds, double[] topLogprobs) {}

    /** Greedy continuation of a prompt: generated ids and per-position probabilities. */
    public record Completion(int[] tokens, List<Position> positions) {}

    private LlamaCppServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the server for {@code model} (2 threads, F32 KV cache) and waits until it answers /health. */
    public static LlamaCppServer start(Path model, String... extraArgs) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path exe = SharedData.llamaCpp().resolve("llama-server");
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), "-m", model.toString(), "-t", "2", "-c", "1024",
                "-np", "1", "--host", "127.0.0.1", "--port", Integer.toString(port), "--no-warmup", "-ctk", "f32",
                "-ctv", "f32"));
        cmd.addAll(List.of(extraArgs));
        Path log = Files.createTempFile("llama-server", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LlamaCppServer server = new LlamaCppServer(p, port, log);
        try {
            server.awaitHealthy();
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("llama-server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("llama-server did not become healthy in 60 s:\n" + logTail());
    }

    /**
     * Greedy decoding of {@code nPredict} tokens after {@code prompt} (ids, no BOS added), with the top
     * {@code nProbs} log-softmax entries of the raw logits at every generated position. EOS does not stop it.
     */
    public Completion complete(int[] prompt, int nPredict, int nProbs) throws IOException, InterruptedException {
        var body = JSON.createObjectNode();
        var ids = body.putArray("prompt");
        for (int id : prompt) ids.add(id);
        body.put("n_predict", nPredict).put("temperature", 0.0).put("top_k", 1).put("repeat_penalty", 1.0)
                .put("cache_prompt", false).put("n_probs", nProbs).put("return_tokens", true)
                .put("ignore_eos", true);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/completion"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("llama-server /completion: " + r.statusCode() + " " + r.body());
        JsonNode root = JSON.readTree(r.body());
        JsonNode tokens = root.get("tokens");
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) out[i] = tokens.get(i).asInt();
        List<Position> positions = new ArrayList<>();
        for (JsonNode pos : root.get("completion_probabilities")) {
            JsonNode top = pos.get("top_logprobs");
            int[] topIds = new int[top.size()];
            double[] topLp = new double[top.size()];
            for (int i = 0; i < topIds.length; i++) {
                topIds[i] = top.get(i).get("id").asInt();
                topLp[i] = top.get(i).get("logprob").asDouble();
            }
            positions.add(new Position(pos.get("id").asInt(), pos.get("logprob").asDouble(), topIds, topLp));
        }
        return new Completion(out, positions);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server by its PID and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // temp file; the OS cleans it
        }
    }
}
