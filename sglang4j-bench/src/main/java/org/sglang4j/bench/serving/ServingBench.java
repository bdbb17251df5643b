package org.sglang4j.bench.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.MachineLoad;
import org.sglang4j.bench.peer.LlamaCpp;
import org.sglang4j.bench.peer.ServerProcess;
import org.sglang4j.bench.workload.Datasets;
import org.sglang4j.core.tokenizer.Tokenizer;
import tools.jackson.databind.JsonNode;

/**
 * Runs serving workloads against an endpoint, or against a server it launches for them (one start per target,
 * every workload in turn, then a stop), and turns the results into {@link ServingReport}s.
 *
 * @param backend  API to use; null = {@code openai} for launched servers
 * @param warmups  untimed requests before each workload
 */
public record ServingBench(Backend backend, String servedModelName, String apiKey, Duration requestTimeout,
                           int warmups, long seed) {

    /** How launched servers are started: same model, threads, parallelism, context and KV type for all. */
    public record ServerSettings(Path model, int threads, int parallel, int contextPerRequest, String kvType,
                                 LlamaCpp llama, List<String> javaOpts) {}

    /** Runs {@code workload} against {@code url}; {@code cachePrompt} false asks llama.cpp to skip its cache. */
    public ServingReport.Run runOnEndpoint(String label, String url, Backend b, String serverCommand, Tokenizer tok,
                                           ServingWorkload workload, boolean cachePrompt)
            throws IOException, InterruptedException {
        String name = b == Backend.OPENAI || b == Backend.OPENAI_CHAT ? modelName(url) : null;
        ServingClient client = new ServingClient(url, b, name, tok, requestTimeout, apiKey);
        ServingRunner runner = new ServingRunner(client, tok, workload.requestRate(), workload.maxConcurrency(), seed,
                workload.ignoreEos(), workload.jsonSchema(), cachePrompt);
        MachineLoad.warnIfBusy();
        for (int i = 0; i < warmups; i++) runner.warmup(8);
        ServingRunner.Outcome outcome = runner.run(workload.conversations(), label + " " + workload.name());
        ServingMetrics m = ServingMetrics.compute(outcome.results(), outcome.durationS());
        System.out.print(m.format(label + ", " + workload.name() + " (" + b.cliName + " " + url + ")"));
        outcome.results().stream().filter(r -> !r.success()).limit(3)
                .forEach(r -> System.out.println("failed request: " + r.error()));
        return new ServingReport.Run(label, url, b.cliName, serverCommand, outcome.skipped(), m,
                outcome.results().stream().map(ServingReport.RequestSummary::of).toList(), null);
    }

    /** Starts {@code target}, runs every workload on it, stops it; the runs keyed by workload name. */
    public Map<String, ServingReport.Run> runLaunched(LaunchTarget target, ServerSettings s, Tokenizer tok,
                                                      List<ServingWorkload> workloads)
            throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        List<String> cmd = target.command(s.model(), port, s.threads(), s.parallel(), s.contextPerRequest(),
                s.kvType(), s.llama(), s.javaOpts());
        System.err.println("starting " + target.cliName + ": " + String.join(" ", cmd).replaceAll("-cp \\S+", "-cp …"));
        Map<String, ServingReport.Run> runs = new LinkedHashMap<>();
        Backend b = backend != null ? backend : Backend.OPENAI;
        try (ServerProcess server = ServerProcess.start(cmd, "http://127.0.0.1:" + port, Duration.ofMinutes(10))) {
            warmUp(server.baseUrl(), b, tok, s.parallel());
            for (ServingWorkload w : workloads) {
                ServingReport.Run run = runOnEndpoint(target.cliName, server.baseUrl(), b, server.command(), tok, w,
                        target.prefixCache || target.ours);
                runs.put(w.name(), run.withMemory(memory(server, target.ours)));
            }
        }
        return runs;
    }

    /**
     * Untimed load on a freshly started server: two rounds of {@code parallel} concurrent requests (64-token prompts
     * unrelated to any workload, 32 output tokens), so a JVM server has compiled its hot loops before the first
     * timed request, as it would have in production. Every launched server gets the same warm-up.
     */
    private void warmUp(String url, Backend b, Tokenizer tok, int parallel) throws IOException, InterruptedException {
        var convs = Datasets.random(tok, 2 * parallel, 64, 32, 1.0, seed + 7_777);
        String name = b == Backend.OPENAI || b == Backend.OPENAI_CHAT ? modelName(url) : null;
        ServingClient client = new ServingClient(url, b, name, tok, requestTimeout, apiKey);
        var outcome = new ServingRunner(client, tok, Double.POSITIVE_INFINITY, parallel, seed, true, null, true)
                .run(convs, "warm-up");
        long failed = outcome.results().stream().filter(r -> !r.success()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " warm-up requests failed on " + url + ": "
                    + outcome.results().stream().filter(r -> !r.success()).findFirst().orElseThrow().error());
        }
    }

    /** Launches every target over all workloads; one report per workload with the comparisons of its runs. */
    public List<ServingReport> compareLaunched(List<LaunchTarget> targets, ServerSettings s, Tokenizer tok,
                                               List<ServingWorkload> workloads, String commandLine)
            throws IOException, InterruptedException {
        Map<String, List<ServingReport.Run>> byWorkload = new LinkedHashMap<>();
        workloads.forEach(w -> byWorkload.put(w.name(), new ArrayList<>()));
        for (LaunchTarget t : targets) {
            runLaunched(t, s, tok, workloads).forEach((w, run) -> byWorkload.get(w).add(run));
        }
        List<ServingReport> reports = new ArrayList<>();
        for (ServingWorkload w : workloads) {
            reports.add(report(commandLine, s.model().getFileName().toString(), w, byWorkload.get(w.name())));
        }
        return reports;
    }

    public static ServingReport report(String commandLine, String model, ServingWorkload w, List<ServingReport.Run> runs) {
        var comparisons = ServingComparisons.of(runs);
        for (var c : comparisons) {
            System.out.printf(java.util.Locale.ROOT, "%-34s sglang4j %10.2f  llama.cpp %10.2f  ratio %.2f%n",
                    c.metric(), c.ours(), c.peer(), c.ratio());
        }
        return new ServingReport(commandLine, ZonedDateTime.now().toString(), model, w.dataset(),
                w.conversations().size(), w.requests(), w.requestRate(), w.maxConcurrency(), w.jsonSchema(),
                List.copyOf(runs), comparisons);
    }

    /** The served model's name from {@code /v1/models} (OpenAI APIs want one), unless given. */
    private String modelName(String url) throws IOException, InterruptedException {
        if (servedModelName != null) return servedModelName;
        JsonNode models = getJson(url + "/v1/models");
        JsonNode id = models == null ? null : models.path("data").path(0).path("id");
        return id != null && id.isString() ? id.asString() : "default";
    }

    /**
     * {@code server}'s resident memory now, with the weight and KV-pool sizes ours reports and the pool's resident
     * part; null off Linux.
     */
    private ServingReport.ServerMemory memory(ServerProcess server, boolean ours) throws IOException, InterruptedException {
        long rss = server.residentBytes();
        if (rss < 0) return null;
        double weights = Double.NaN, kv = Double.NaN;
        Double kvResident = null;
        JsonNode info = ours ? getJson(server.baseUrl() + "/get_server_info") : null;
        JsonNode mem = info == null ? null : info.path("internal_states").path(0).path("memory_usage");
        if (mem != null && mem.path("weight").isNumber()) {
            weights = mem.path("weight").asDouble() * 1e9 / MIB;
            kv = mem.path("kvcache").asDouble() * 1e9 / MIB;
            if (mem.path("kvcache_resident").isNumber()) kvResident = mem.path("kvcache_resident").asDouble() * 1e9 / MIB;
        }
        return new ServingReport.ServerMemory(weights, kv, rss / MIB, kvResident);
    }

    private static final double MIB = 1 << 20;

    private JsonNode getJson(String uri) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
        HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? BenchJson.MAPPER.readTree(r.body()) : null;
    }
}
