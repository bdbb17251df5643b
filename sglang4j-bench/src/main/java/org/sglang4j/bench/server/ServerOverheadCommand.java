package org.sglang4j.bench.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.core.chat.ChatMessage;
import org.sglang4j.core.chat.ChatTemplate;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.Engine;
import org.sglang4j.engine.EngineConfig;
import org.sglang4j.engine.EngineStats;
import org.sglang4j.engine.ModelInfo;
import org.sglang4j.engine.req.GenerateListener;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.server.EngineClient;
import org.sglang4j.server.ServerArgs;
import org.sglang4j.server.SglangServer;
import org.sglang4j.server.cli.ServeCommand;
import org.sglang4j.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench server-overhead}: requests/s and latency of the same closed-loop load (default 64 clients) sent
 * straight to the in-process engine and through the HTTP server on loopback, non-streaming and streaming; the
 * difference is what the server costs (parsing, tokenization, JSON, SSE, sockets). Requests are greedy with
 * {@code ignore_eos} so every one produces exactly {@code --max-new-tokens} tokens, prompts are distinct, and the
 * prefix cache is flushed before each run so all runs do the same engine work.
 */
@Command(name = "server-overhead", mixinStandardHelpOptions = true,
        description = "What the HTTP server adds to each request: in-process engine vs /generate on loopback.")
public final class ServerOverheadCommand implements Callable<Integer> {

    @Option(names = {"--model-path", "--model"}, paramLabel = "PATH", description = "Model (default: the built-in demo model)")
    String modelPath;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--requests", defaultValue = "640", description = "Requests per run (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--max-new-tokens", defaultValue = "8", description = "Output tokens per request (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--threads", defaultValue = "0", description = "Engine compute threads (default: all cores)")
    int threads;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write the results as JSON")
    Path outputFile;

    @Override
    public Integer call() throws Exception {
        int nThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        List<String> argv = new ArrayList<>(List.of("--port", "0", "--warmups", "1", "--threads", Integer.toString(nThreads)));
        if (modelPath != null) argv.addAll(List.of("--model-path", modelPath));
        ServerArgs args = ServeCommand.parse(argv.toArray(String[]::new));
        EngineConfig config = args.engineConfig();
        Engine engine = Engine.start(config);
        EngineClient client = EngineClient.of(engine, config.chatTemplate());
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            prompts.add("Request " + i + ": the customer asks where order JD2024" + (10000000 + i) + " is and wants a refund.");
        }
        List<int[]> ids = prompts.stream().map(p -> client.tokenizer().encode(p, true, true)).toList();
        SamplingParams params = SamplingParams.builder().maxNewTokens(maxNewTokens).temperature(0).ignoreEos(true).build();

        // The server wraps the same engine; closing the server must not close it before the end.
        SglangServer server = SglangServer.start(args, a -> new KeepOpen(client));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
        URI generate = URI.create("http://127.0.0.1:" + server.port() + "/generate");
        try {
            System.out.printf(Locale.ROOT, "model %s, %d clients, %d requests x %d output tokens, %d threads%n",
                    client.modelInfo().modelPath() == null ? "(demo)" : client.modelInfo().modelPath(), clients, requests,
                    maxNewTokens, nThreads);
            warm(client, ids, params, http, generate, prompts);
            LatencyStats direct = runDirect(client, ids, params);
            LatencyStats viaHttp = runHttp(client, http, generate, prompts, false);
            LatencyStats viaStream = runHttp(client, http, generate, prompts, true);
            ServerOverheadResult r = new ServerOverheadResult(client.modelInfo().modelPath(), clients, requests,
                    (int) ids.stream().mapToInt(a -> a.length).average().orElse(0), maxNewTokens, nThreads, direct,
                    viaHttp, viaStream, viaHttp.p50Ms() - direct.p50Ms(), viaHttp.p99Ms() - direct.p99Ms(),
                    viaStream.p50Ms() - direct.p50Ms(), viaStream.p99Ms() - direct.p99Ms(),
                    BenchJson.commandLine(List.of("server-overhead")), ZonedDateTime.now().toString());
            print(r);
            if (outputFile != null) BenchJson.write(outputFile, r);
        } finally {
            server.shutdown(Duration.ofSeconds(5));
            engine.close();
        }
        return 0;
    }

    private void warm(EngineClient client, List<int[]> ids, SamplingParams params, HttpClient http, URI generate,
                      List<String> prompts) throws Exception {
        int n = Math.min(clients, requests);
        ClosedLoad.run(clients, n, i -> () -> direct(client, "warm-d" + i, ids.get(i), params));
        ClosedLoad.run(clients, n, i -> () -> post(http, generate, body(prompts.get(i), false)));
    }

    private LatencyStats runDirect(EngineClient client, List<int[]> ids, SamplingParams params) throws Exception {
        flush(client);
        return ClosedLoad.run(clients, requests, i -> () -> direct(client, "direct-" + i, ids.get(i), params));
    }

    private LatencyStats runHttp(EngineClient client, HttpClient http, URI generate, List<String> prompts, boolean stream)
            throws Exception {
        flush(client);
        return ClosedLoad.run(clients, requests, i -> () -> post(http, generate, body(prompts.get(i), stream)));
    }

    private static Void direct(EngineClient client, String rid, int[] ids, SamplingParams params) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.submit(new GenerateRequest(rid, ids, params, false, -1, 0, null, true), o -> {
            if (o.finished()) done.complete(null);
        });
        done.join();
        return null;
    }

    private String body(String prompt, boolean stream) {
        return "{\"text\": " + Json.write(prompt) + ", \"stream\": " + stream
                + ", \"sampling_params\": {\"max_new_tokens\": " + maxNewTokens + ", \"temperature\": 0, \"ignore_eos\": true}}";
    }

    private static Void post(HttpClient http, URI uri, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        return null;
    }

    /** The cache is flushed only when idle; the previous run has just finished, so retry briefly. */
    private static void flush(EngineClient client) throws InterruptedException {
        for (int i = 0; i < 100 && !client.flushCache(); i++) Thread.sleep(20);
    }

    private static void print(ServerOverheadResult r) {
        System.out.println();
        System.out.println("| path | req/s | p50 ms | p90 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|");
        row("engine in-process", r.direct());
        row("HTTP /generate", r.http());
        row("HTTP /generate, stream", r.httpStream());
        System.out.printf(Locale.ROOT, "%nadded by the server: p50 %+.2f ms, p99 %+.2f ms (non-streaming); "
                + "p50 %+.2f ms, p99 %+.2f ms (streaming)%n", r.addedP50Ms(), r.addedP99Ms(), r.addedStreamP50Ms(),
                r.addedStreamP99Ms());
    }

    private static void row(String name, LatencyStats s) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.2f | %.2f | %.2f |%n", name, s.requestsPerSecond(), s.p50Ms(),
                s.p90Ms(), s.p99Ms());
    }

    /** Lends the engine to the server without letting the server's shutdown close it. */
    private record KeepOpen(EngineClient delegate) implements EngineClient {
        @Override public Tokenizer tokenizer() { return delegate.tokenizer(); }
        @Override public ModelInfo modelInfo() { return delegate.modelInfo(); }
        @Override public String applyChatTemplate(List<ChatMessage> messages, ChatTemplate.RenderOptions options) {
            return delegate.applyChatTemplate(messages, options);
        }
        @Override public void submit(GenerateRequest request, GenerateListener listener) { delegate.submit(request, listener); }
        @Override public void abort(String rid) { delegate.abort(rid); }
        @Override public boolean flushCache() { return delegate.flushCache(); }
        @Override public String openSession(String id, int capacity, Double timeout) { return delegate.openSession(id, capacity, timeout); }
        @Override public boolean closeSession(String id) { return delegate.closeSession(id); }
        @Override public EngineStats stats() { return delegate.stats(); }
        @Override public String prometheusText() { return delegate.prometheusText(); }
        @Override public void close() {}
    }
}
