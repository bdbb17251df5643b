package org.sglang4j.bench.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.model.ModelOptions;
import org.sglang4j.bench.workload.Conversation;
import org.sglang4j.bench.workload.CustomerServiceDataset;
import org.sglang4j.bench.workload.Datasets;
import org.sglang4j.bench.workload.TicketSchema;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench serving}: online serving benchmark modelled on SGLang's bench_serving, against a running endpoint
 * ({@code --base-url}, {@code --backend}) or against servers it starts itself ({@code --launch sglang4j,llama.cpp}),
 * one after the other on the same model, threads, parallelism and workload.
 */
@Command(name = "serving", mixinStandardHelpOptions = true,
        description = "Online serving benchmark (TTFT, ITL, e2e latency, throughput, cache hit rate) against an "
                + "endpoint, or against sglang4j and llama-server launched on the same model in the same run.")
public final class ServingCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--tokenizer", paramLabel = "GGUF", description = "Tokenizer for prompts and counting (default: the model's)")
    Path tokenizerPath;

    @Option(names = "--backend", description = "sglang4j (native /generate), openai (/v1/completions), openai-chat "
            + "(/v1/chat/completions), llama.cpp (/completion) (default: sglang4j with --base-url, openai with --launch)")
    String backend;

    @Option(names = "--base-url", defaultValue = "http://127.0.0.1:30000", description = "Endpoint (default: ${DEFAULT-VALUE})")
    String baseUrl;

    @Option(names = "--launch", split = ",", paramLabel = "TARGET",
            description = "Start these servers one after another instead of using --base-url: sglang4j, "
                    + "sglang4j-no-cache, llama.cpp, llama.cpp-no-cache")
    List<String> launch = List.of();

    @Option(names = "--served-model-name", description = "Model name for the OpenAI APIs (default: from /v1/models)")
    String servedModelName;

    @Option(names = "--api-key", description = "Bearer token")
    String apiKey;

    @Option(names = "--dataset", defaultValue = "random", description = "random, sharegpt (synthetic ShareGPT-like mix) "
            + "or multi-turn (customer service) (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--num-prompts", defaultValue = "100", description = "Requests (conversations for multi-turn) (default: ${DEFAULT-VALUE})")
    int numPrompts;

    @Option(names = "--random-input-len", defaultValue = "512", description = "(default: ${DEFAULT-VALUE})")
    int randomInputLen;

    @Option(names = "--random-output-len", defaultValue = "128", description = "(default: ${DEFAULT-VALUE})")
    int randomOutputLen;

    @Option(names = "--random-range-ratio", defaultValue = "0.0",
            description = "Lengths are uniform in [len × ratio, len] (default: ${DEFAULT-VALUE})")
    double randomRangeRatio;

    @Option(names = "--sharegpt-output-len", defaultValue = "0", description = "Fixed output length for sharegpt (0 = sampled)")
    int sharegptOutputLen;

    @Option(names = "--multi-turn-turns", defaultValue = "10", description = "Turns per conversation (default: ${DEFAULT-VALUE})")
    int turns;

    @Option(names = "--multi-turn-output-len", defaultValue = "64", description = "Tokens per answer (default: ${DEFAULT-VALUE})")
    int turnOutputLen;

    @Option(names = "--request-rate", defaultValue = "inf",
            description = "Requests (conversations) per second, Poisson arrivals; inf = all at once (default: ${DEFAULT-VALUE})")
    String requestRate;

    @Option(names = "--max-concurrency", defaultValue = "0",
            description = "Requests (conversations) in flight at most; 0 = unlimited (default: ${DEFAULT-VALUE})")
    int maxConcurrency;

    @Option(names = "--json-schema", paramLabel = "ticket|FILE|JSON",
            description = "Constrain every output to a JSON schema: 'ticket' (built-in support ticket), a file or inline JSON")
    String jsonSchema;

    @Option(names = "--disable-ignore-eos", description = "Let requests stop at EOS (default: exactly the requested lengths)")
    boolean disableIgnoreEos;

    @Option(names = "--seed", defaultValue = "1", description = "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads of launched servers (default: all cores)")
    int threads;

    @Option(names = "--parallel", defaultValue = "8",
            description = "Launched servers: llama-server --parallel and our --max-running-requests (default: ${DEFAULT-VALUE})")
    int parallel;

    @Option(names = "--context-per-request", defaultValue = "4096", description = "Launched servers: context of each request (default: ${DEFAULT-VALUE})")
    int contextPerRequest;

    @Option(names = "--kv-cache-dtype", defaultValue = "f16", description = "Launched servers' KV type (default: ${DEFAULT-VALUE})")
    String kvCacheDtype;

    @Option(names = "--server-java-opts", split = " ", description = "Extra JVM options for a launched sglang4j server")
    List<String> serverJavaOpts = List.of();

    @Option(names = "--warmup-requests", defaultValue = "1", description = "Untimed requests before each run (default: ${DEFAULT-VALUE})")
    int warmupRequests;

    @Option(names = "--request-timeout", defaultValue = "600",
            description = "Seconds a request may take in all; a slower one counts as failed (default: ${DEFAULT-VALUE})")
    int requestTimeout;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write the results as JSON")
    Path outputFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServingReport report = run(BenchJson.commandLine(spec.commandLine().getParseResult().originalArgs()));
        if (outputFile != null) BenchJson.write(outputFile, report);
        boolean anyFailed = report.runs().stream().anyMatch(r -> r.metrics().failed() > 0);
        return anyFailed ? 1 : 0;
    }

    ServingReport run(String commandLine) throws Exception {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        double rate = parseRate(requestRate);
        String schema = schema(jsonSchema);
        Backend b = backend != null ? Backend.of(backend) : null;
        List<LaunchTarget> targets = launch.stream().map(LaunchTarget::of).toList();
        Path modelFile = tokenizerPath != null && targets.isEmpty() ? null : model.resolve(t);
        Path tokFile = tokenizerPath != null ? tokenizerPath : modelFile;
        Tokenizer tok;
        try (GgufFile g = GgufFile.open(tokFile)) {
            tok = Tokenizers.fromGguf(g);
        }
        List<Conversation> convs = switch (dataset.toLowerCase(Locale.ROOT)) {
            case "random" -> Datasets.random(tok, numPrompts, randomInputLen, randomOutputLen, randomRangeRatio, seed);
            case "sharegpt" -> Datasets.shareGptLike(tok, numPrompts, sharegptOutputLen, seed);
            case "multi-turn" -> CustomerServiceDataset.generate(tok, numPrompts, turns, turnOutputLen,
                    randomRangeRatio, seed);
            default -> throw new IllegalArgumentException("unknown --dataset " + dataset + " (use random, sharegpt or multi-turn)");
        };
        ServingWorkload workload = new ServingWorkload(dataset, dataset, convs, rate, maxConcurrency, schema,
                !disableIgnoreEos);
        System.out.printf(Locale.ROOT, "dataset %s: %d conversations, %d requests, %d prompt tokens (first turns)%n",
                dataset, convs.size(), workload.requests(),
                convs.stream().mapToLong(c -> c.turns().getFirst().inputTokens()).sum());
        ServingBench bench = new ServingBench(b, servedModelName, apiKey, Duration.ofSeconds(requestTimeout),
                warmupRequests, seed);
        if (targets.isEmpty()) {
            Backend eb = b != null ? b : Backend.SGLANG4J;
            var run = bench.runOnEndpoint("endpoint", ServingClient.stripSlash(baseUrl), eb, null, tok, workload, true);
            return ServingBench.report(commandLine, tokFile.getFileName().toString(), workload, List.of(run));
        }
        var settings = new ServingBench.ServerSettings(modelFile, t, parallel, contextPerRequest, kvCacheDtype,
                model.llamaCpp(), serverJavaOpts);
        return bench.compareLaunched(targets, settings, tok, List.of(workload), commandLine).getFirst();
    }

    static double parseRate(String s) {
        if (s.equalsIgnoreCase("inf")) return Double.POSITIVE_INFINITY;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--request-rate must be a number or inf, got " + s);
        }
    }

    static String schema(String given) throws IOException {
        if (given == null) return null;
        String text = given.equals("ticket") ? TicketSchema.JSON
                : given.trim().startsWith("{") ? given : Files.readString(Path.of(given));
        try {
            BenchJson.MAPPER.readTree(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--json-schema is not valid JSON: " + e.getMessage());
        }
        return text;
    }
}
