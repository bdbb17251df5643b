package org.sglang4j.server.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sglang4j.engine.Engine;
import org.sglang4j.server.EngineClient;
import org.sglang4j.server.ServerArgs;
import org.sglang4j.server.SglangServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sglang4j serve}: SGLang's {@code launch_server} flags that mean something on a CPU, with its names and
 * defaults. Values are checked by {@link ServerArgs}; a bad one is a usage error naming the flag.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a model over SGLang's native API (/generate) and the OpenAI API (/v1/*).")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = Logger.getLogger(ServeCommand.class.getName());

    private static final ServerArgs D = ServerArgs.defaults();

    @Option(names = {"--model-path", "--model"}, paramLabel = "PATH",
            description = "GGUF file, HF directory, llama2.c .bin or HF repo id (default: the built-in demo model)")
    String modelPath;

    @Option(names = "--tokenizer-path", paramLabel = "PATH", description = "Tokenizer location (default: with the model)")
    String tokenizerPath;

    @Option(names = "--host", description = "Bind address (default: ${DEFAULT-VALUE})")
    String host = D.host();

    @Option(names = "--port", description = "Port (default: ${DEFAULT-VALUE})")
    int port = D.port();

    @Option(names = {"--tp", "--tp-size"}, paramLabel = "N",
            description = "Tensor parallelism: must be 1; scale out with replicas behind the router")
    int tpSize = D.tpSize();

    @Option(names = "--log-level", description = "debug, info, warning, error, critical (default: ${DEFAULT-VALUE})")
    String logLevel = D.logLevel();

    @Option(names = "--context-length", paramLabel = "N", description = "Context length (default: the model's)")
    Integer contextLength;

    @Option(names = "--max-total-tokens", paramLabel = "N", description = "KV cache size in tokens (default: from --mem-fraction-static)")
    Integer maxTotalTokens;

    @Option(names = "--mem-fraction-static", paramLabel = "F",
            description = "Fraction of the machine's (or container's) memory for weights and KV cache: the pool gets what is "
                    + "available beyond the other 1 - F of the total (default: ${DEFAULT-VALUE})")
    double memFractionStatic = D.memFractionStatic();

    @Option(names = "--chunked-prefill-size", paramLabel = "N",
            description = "Max tokens per prefill chunk, -1 disables chunking (default: ${DEFAULT-VALUE})")
    int chunkedPrefillSize = D.chunkedPrefillSize();

    @Option(names = "--max-prefill-tokens", paramLabel = "N", description = "Token budget of one prefill batch (default: ${DEFAULT-VALUE})")
    int maxPrefillTokens = D.maxPrefillTokens();

    @Option(names = "--max-running-requests", paramLabel = "N", description = "Max concurrently running requests (default: derived)")
    Integer maxRunningRequests;

    @Option(names = "--schedule-policy", description = "fcfs or lpm (default: ${DEFAULT-VALUE})")
    String schedulePolicy = D.schedulePolicy();

    @Option(names = "--disable-radix-cache", description = "Turn off prefix caching (for A/B comparisons)")
    boolean disableRadixCache;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' (health and metrics stay open)")
    String apiKey;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "Model id shown by /v1/models (default: the model path)")
    String servedModelName;

    @Option(names = "--chat-template", paramLabel = "NAME|FILE", description = "Chat template (default: the model's own)")
    String chatTemplate;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: ${DEFAULT-VALUE})")
    int threads = D.threads();

    @Option(names = "--warmups", paramLabel = "N", description = "Warm-up requests before reporting ready (default: ${DEFAULT-VALUE})")
    int warmups = D.warmups();

    @Option(names = "--enable-metrics", description = "Serve Prometheus metrics at /metrics")
    boolean enableMetrics;

    @Option(names = "--kv-cache-dtype", description = "auto, f32, f16, bf16 (default: ${DEFAULT-VALUE})")
    String kvCacheDtype = D.kvCacheDtype();

    @Option(names = "--enable-cache-report", description = "Accepted for SGLang compatibility: cached_tokens is always reported")
    boolean enableCacheReport;

    @Option(names = "--tool-call-parser", paramLabel = "NAME", description = "qwen, qwen25, hermes or llama3 (default: from the chat template)")
    String toolCallParser;

    @Option(names = "--random-seed", paramLabel = "N", description = "Seed for requests without a seed")
    Long randomSeed;

    @Option(names = "--max-request-body-bytes", paramLabel = "N", description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE})")
    long maxRequestBodyBytes = D.maxRequestBodyBytes();

    @Option(names = "--graceful-shutdown-timeout", paramLabel = "SECONDS",
            description = "On SIGTERM, wait this long for in-flight requests (default: ${DEFAULT-VALUE})")
    int gracefulShutdownTimeout = D.gracefulShutdownTimeout();

    @Option(names = "--enable-mixed-chunk", description = "Run decode tokens in the same pass as a prefill chunk")
    boolean enableMixedChunk = D.enableMixedChunk();

    @Option(names = "--schedule-conservativeness", paramLabel = "F",
            description = "Scale of the admission estimate; raise it if retractions are frequent (default: ${DEFAULT-VALUE})")
    double scheduleConservativeness = D.scheduleConservativeness();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The validated arguments; a bad value is a picocli usage error naming the flag. */
    ServerArgs toArgs() {
        try {
            return new ServerArgs(modelPath, tokenizerPath, host, port, tpSize, logLevel, contextLength, maxTotalTokens,
                    memFractionStatic, chunkedPrefillSize, maxPrefillTokens, maxRunningRequests, schedulePolicy,
                    disableRadixCache, apiKey, servedModelName, chatTemplate, threads, warmups, enableMetrics,
                    kvCacheDtype, enableCacheReport, toolCallParser, randomSeed, maxRequestBodyBytes,
                    gracefulShutdownTimeout, enableMixedChunk, scheduleConservativeness);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Parses {@code serve} flags without running anything (tests, the benchmark). */
    public static ServerArgs parse(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.toArgs();
    }

    @Override
    public Integer call() throws Exception {
        ServerArgs args = toArgs();
        LogSetup.install(args.logLevel());
        SglangServer server;
        try {
            server = SglangServer.bind(args);
            server.installSignalHandlers();
            server.load(a -> EngineClient.of(Engine.start(a.engineConfig()), a.chatTemplate()));
        } catch (RuntimeException | java.io.IOException e) {
            // A model that cannot load or a port in use: one clear line, the stack trace only at debug level.
            LOG.severe("could not start: " + e.getMessage());
            LOG.log(Level.FINE, "start-up failure", e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(Duration.ofSeconds(args.gracefulShutdownTimeout()))));
        server.awaitStopped();
        return 0;
    }
}
