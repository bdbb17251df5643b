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
import org.sglang4j.server.cli.LogSetup;
import org.sglang4j.server.cli.ServeCommand;
import org.sglang4j.server.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench server-overhead}: what the HTTP server costs per request. The same closed-loop load (default 64
 * clients) goes (1) straight into the in-process engine, (2) through the server on loopback to that engine,
 * non-streaming and streaming, and (3) through the server to an {@link InstantEngine} that answers at once, so
 * only the server's own work is left (HTTP, JSON, tokenization with the real tokenizer, SSE, sockets): its req/s is
 * the server's capacity and its latency the time the server adds, also measured with one client (no queueing).
 * Requests are greedy with {@code ignore_eos} so each produces exactly {@code --max-new-tokens} tokens; prompts are
 * distinct and the prefix cache is flushed before each engine run so those runs do the same engine work.
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
        LogSetup.install("warning"); // per-batch scheduler lines would drown the table
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
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();

        // The server over the real engine (kept open across the server's shutdown), and over an instant engine.
        SglangServer server = SglangServer.start(args, a -> new KeepOpen(client));
        SglangServer bare = SglangServer.start(args, a -> InstantEngine.over(client));
        URI generate = URI.create("http://127.0.0.1:" + server.port() + "/generate");
        URI bareGenerate = URI.create("http://127.0.0.1:" + bare.port() + "/generate");
        try {
            System.out.printf(Locale.ROOT, "model %s, %d clients, %d requests x %d output tokens, %d threads, load %.1f%n",
                    client.modelInfo().servedModelName(), clients, requests, maxNewTokens, nThreads,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            warm(client, ids, params, http, generate, prompts);
            ClosedLoad.run(clients, requests, i -> () -> post(http, bareGenerate, body(prompts.get(i), false)));
            LatencyStats direct = runDirect(client, ids, params);
            LatencyStats viaHttp = runHttp(client, http, generate, prompts, false);
            LatencyStats viaStream = runHttp(client, http, generate, prompts, true);
            LatencyStats serverOnly = ClosedLoad.run(clients, requests, i -> () -> post(http, bareGenerate, body(prompts.get(i), false)));
            LatencyStats serverOnlyStream = ClosedLoad.run(clients, requests, i -> () -> post(http, bareGenerate, body(prompts.get(i), true)));
            LatencyStats serverOnlySerial = ClosedLoad.run(1, Math.min(requests, 200), i -> () -> post(http, bareGenerate, body(prompts.get(i), false)));
            ServerOverheadResult r = new ServerOverheadResult(client.modelInfo().servedModelName(), clients, requests,
                    (int) ids.stream().mapToInt(a -> a.length).average().orElse(0), maxNewTokens, nThreads, direct,
                    viaHttp, viaStream, serverOnly, serverOnlyStream, serverOnlySerial,
                    BenchJson.commandLine(List.of("server-overhead")), ZonedDateTime.now().toString());
            print(r);
            if (outputFile != null) BenchJson.write(outputFile, r);
        } finally {
            bare.shutdown(Duration.ofSeconds(5));
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

    private void print(ServerOverheadResult r) {
        System.out.println();
        System.out.println("| path | clients | req/s | p50 ms | p90 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("engine in-process", clients, r.direct());
        row("HTTP /generate over the engine", clients, r.http());
        row("HTTP /generate over the engine, stream", clients, r.httpStream());
        row("HTTP /generate, instant engine (server alone)", clients, r.serverOnly());
        row("HTTP /generate, instant engine, stream", clients, r.serverOnlyStream());
        row("HTTP /generate, instant engine, one client", 1, r.serverOnlySerial());
    }

    private static void row(String name, int clients, LatencyStats s) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.2f | %.2f |%n", name, clients, s.requestsPerSecond(),
                s.p50Ms(), s.p90Ms(), s.p99Ms());
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
