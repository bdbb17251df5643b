package org.sglang4j.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.MachineLoad;
import org.sglang4j.bench.model.BenchModelShape;
import org.sglang4j.bench.model.ModelOptions;
import org.sglang4j.bench.onebatch.OneBatchBenchmark;
import org.sglang4j.bench.onebatch.OneBatchCase;
import org.sglang4j.bench.serving.LaunchTarget;
import org.sglang4j.bench.serving.ServingBench;
import org.sglang4j.bench.serving.ServingReport;
import org.sglang4j.bench.serving.ServingWorkload;
import org.sglang4j.bench.workload.Conversation;
import org.sglang4j.bench.workload.CustomerServiceDataset;
import org.sglang4j.bench.workload.Datasets;
import org.sglang4j.bench.workload.TicketSchema;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.tensor.VnniKernels;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;

/**
 * Runs the report's benchmark parts and saves each as JSON in the results directory (layout in
 * {@link SuiteResults}). A part or a launched server that fails is recorded in {@code failures.json} with the
 * reason, and the other parts still run: the report then shows what was measured and says what was not.
 *
 * @param targets the launch targets the serving parts may use (all four by default)
 */
public record BenchSuite(SuiteConfig cfg, ModelOptions model, int threads, Path resultsDir, List<String> parts,
                         List<LaunchTarget> targets, List<String> serverJavaOpts, String commandLine) {

    public static final List<String> PARTS = List.of("one-batch", "multi-turn", "constrained", "concurrency");
    private static final long SEED = 1;

    public BenchSuite {
        for (String p : parts) {
            if (!PARTS.contains(p)) throw new IllegalArgumentException("unknown --parts entry " + p + " (use " + PARTS + ")");
        }
    }

    /** Runs the parts; returns the failures (empty when everything was measured). */
    public Map<String, String> run() throws Exception {
        Files.createDirectories(resultsDir);
        Map<String, String> failures = previousFailures();
        failures.keySet().removeIf(k -> parts.contains(k.split("/")[0]));
        writeEnvironment();
        for (String part : parts) {
            System.err.println("=== bench report: " + part + " (" + cfg.name() + ")");
            try {
                switch (part) {
                    case "one-batch" -> oneBatch(failures);
                    case "multi-turn" -> multiTurn(failures);
                    case "constrained" -> constrained(failures);
                    case "concurrency" -> concurrency(failures);
                    default -> throw new IllegalStateException(part);
                }
            } catch (Exception e) {
                failures.put(part, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
                System.err.println("part " + part + " failed: " + e);
            }
            BenchJson.write(resultsDir.resolve("failures.json"), failures);
        }
        return failures;
    }

    private Map<String, String> previousFailures() {
        Path f = resultsDir.resolve("failures.json");
        Map<String, String> m = new LinkedHashMap<>();
        if (Files.isRegularFile(f)) {
            @SuppressWarnings("unchecked")
            Map<String, String> old = BenchJson.read(f, Map.class);
            m.putAll(old);
        }
        return m;
    }

    private void writeEnvironment() throws Exception {
        double load = MachineLoad.loadAverage();
        System.err.println("measuring memory bandwidth (" + cfg.bandwidthMiB() + " MiB, " + threads + " threads)");
        double bw = MemoryBandwidth.measure(cfg.bandwidthMiB(), threads, 5);
        BenchModelShape s = model.tiny() ? BenchModelShape.TINY : BenchModelShape.QWEN25_0_5B;
        String shape = model.modelPath() != null ? model.modelPath().getFileName().toString()
                : String.format(Locale.ROOT, "random-weight %s (qwen2: hidden %d, %d layers, %d heads, %d KV heads, "
                        + "FFN %d, vocab 151936 from ggml-vocab-qwen2-rebuilt.gguf, tied embeddings, qkv bias, rope "
                        + "theta %.0f), written as F16 and quantized with llama-quantize", s.name(), s.dim(),
                        s.nLayers(), s.nHeads(), s.nKvHeads(), s.hiddenDim(), s.ropeTheta());
        BenchJson.write(resultsDir.resolve("environment.json"), new SuiteEnvironment(ZonedDateTime.now().toString(),
                commandLine, cfg.name(), threads, MachineInfo.detect(), bw, "Java Vector API streaming sum over "
                + cfg.bandwidthMiB() + " MiB with " + threads + " threads, best of 5", LlamaCppBuild.describe(
                model.llamaCpp()), shape, load));
    }

    private void oneBatch(Map<String, String> failures) throws Exception {
        List<OneBatchCase> cases = new ArrayList<>();
        cases.add(new OneBatchCase(1, cfg.prefillLen(), 1));
        for (int b : cfg.decodeBatches()) cases.add(new OneBatchCase(b, 1, cfg.decodeOutputLen()));
        OneBatchBenchmark bench = new OneBatchBenchmark(threads, "f16", cfg.repeat(), 1, SEED, model.llamaCpp());
        String batches = String.join(",", cfg.decodeBatches().stream().map(String::valueOf).toList());
        List<String> common = List.of("--threads", String.valueOf(threads), "--kv-cache-dtype", "f16", "--repeat",
                String.valueOf(cfg.repeat()));
        List<List<String>> runs = List.of(
                List.of("--batch-size", "1", "--input-len", String.valueOf(cfg.prefillLen()), "--output-len", "1"),
                List.of("--batch-size", batches, "--input-len", "1", "--output-len", String.valueOf(cfg.decodeOutputLen())));
        for (String q : cfg.quants()) {
            Path file = model.withQuant(q).resolve(threads);
            String prefix = "bin/sglang4j bench one-batch " + modelArgs(q) + " " + String.join(" ", common) + " ";
            String command = String.join(" && ", runs.stream().map(r -> prefix + String.join(" ", r)).toList());
            var report = bench.run(file, cases, command);
            BenchJson.write(resultsDir.resolve("one-batch-" + q + ".json"), report);
            if (!VnniKernels.available()) continue;
            try {
                String javaCommand = String.join(" && ", runs.stream().map(r -> "SGLANG4J_JAVA_OPTS="
                        + JavaKernelsRun.FLAG + " " + prefix + "--no-peer " + String.join(" ", r)).toList());
                BenchJson.write(resultsDir.resolve("java-kernels-" + q + ".json"),
                        JavaKernelsRun.run(file, common, runs, report, javaCommand));
            } catch (Exception e) {
                failures.put("one-batch/java-kernels-" + q, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
                System.err.println("one-batch with the Java kernels only failed: " + e);
            }
        }
    }

    private void multiTurn(Map<String, String> failures) throws Exception {
        Tokenizer tok = tokenizer();
        List<Conversation> convs = CustomerServiceDataset.generate(tok, cfg.mtConversations(), cfg.mtTurns(),
                cfg.mtOutputLen(), 1.0, SEED);
        var w = new ServingWorkload("multi-turn", "multi-turn", convs, Double.POSITIVE_INFINITY, cfg.mtConcurrency(),
                null, true);
        String cmd = servingCommand("--dataset multi-turn --num-prompts " + cfg.mtConversations() + " --multi-turn-turns "
                + cfg.mtTurns() + " --multi-turn-output-len " + cfg.mtOutputLen() + " --random-range-ratio 1 "
                + "--max-concurrency " + cfg.mtConcurrency() + " --parallel " + cfg.mtConcurrency(), targets);
        var reports = launchEach("multi-turn", targets, cfg.mtConcurrency(), List.of(w), cmd, failures);
        BenchJson.write(resultsDir.resolve("multi-turn.json"), reports.getFirst());
    }

    private void constrained(Map<String, String> failures) throws Exception {
        Tokenizer tok = tokenizer();
        List<Conversation> convs = Datasets.random(tok, cfg.constrainedRequests(), cfg.constrainedInputLen(),
                cfg.constrainedOutputLen(), 1.0, SEED);
        var free = new ServingWorkload("free text", "random", convs, Double.POSITIVE_INFINITY,
                cfg.constrainedConcurrency(), null, true);
        // Other prompts of the same lengths: repeating the free-text ones would turn the second run into prefix-cache hits.
        List<Conversation> others = Datasets.random(tok, cfg.constrainedRequests(), cfg.constrainedInputLen(),
                cfg.constrainedOutputLen(), 1.0, SEED + 1);
        var json = new ServingWorkload("json schema", "random", others, Double.POSITIVE_INFINITY,
                cfg.constrainedConcurrency(), TicketSchema.JSON, false);
        List<LaunchTarget> t = cachedTargets();
        String cmd = servingCommand("--dataset random --num-prompts " + cfg.constrainedRequests() + " --random-input-len "
                + cfg.constrainedInputLen() + " --random-output-len " + cfg.constrainedOutputLen()
                + " --random-range-ratio 1 --max-concurrency " + cfg.constrainedConcurrency() + " --parallel "
                + cfg.constrainedConcurrency() + " [--json-schema ticket]", t);
        var reports = launchEach("constrained", t, cfg.constrainedConcurrency(), List.of(free, json), cmd, failures);
        BenchJson.write(resultsDir.resolve("constrained-free.json"), reports.get(0));
        BenchJson.write(resultsDir.resolve("constrained-json.json"), reports.get(1));
    }

    private void concurrency(Map<String, String> failures) throws Exception {
        Tokenizer tok = tokenizer();
        List<ServingWorkload> ws = new ArrayList<>();
        for (int level : cfg.sweepLevels()) {
            List<Conversation> convs = Datasets.random(tok, Math.max(2, cfg.sweepPerLevel() * level),
                    cfg.sweepInputLen(), cfg.sweepOutputLen(), 1.0, SEED + level);
            ws.add(new ServingWorkload("concurrency " + level, "random", convs, Double.POSITIVE_INFINITY, level, null, true));
        }
        List<LaunchTarget> t = cachedTargets();
        String cmd = servingCommand("--dataset random --random-input-len " + cfg.sweepInputLen() + " --random-output-len "
                + cfg.sweepOutputLen() + " --random-range-ratio 1 --parallel " + cfg.sweepParallel()
                + " --max-concurrency L --num-prompts " + cfg.sweepPerLevel() + "×L for L in " + cfg.sweepLevels(), t);
        var reports = launchEach("concurrency", t, cfg.sweepParallel(), ws, cmd, failures);
        for (int i = 0; i < ws.size(); i++) {
            BenchJson.write(resultsDir.resolve("concurrency-" + cfg.sweepLevels().get(i) + ".json"), reports.get(i));
        }
    }

    /** Launches each target on its own so that one that fails (recorded) does not lose the others' runs. */
    private List<ServingReport> launchEach(String part, List<LaunchTarget> ts, int parallel, List<ServingWorkload> ws,
                                           String cmd, Map<String, String> failures) throws Exception {
        Path file = model.withQuant(cfg.quants().getFirst()).resolve(threads);
        var settings = new ServingBench.ServerSettings(file, threads, parallel, 4096, "f16", model.llamaCpp(),
                serverJavaOpts);
        ServingBench bench = new ServingBench(null, null, null, Duration.ofMinutes(10), 1, SEED);
        Tokenizer tok = tokenizer();
        Map<String, List<ServingReport.Run>> runs = new LinkedHashMap<>();
        ws.forEach(w -> runs.put(w.name(), new ArrayList<>()));
        for (LaunchTarget t : ts) {
            try {
                bench.runLaunched(t, settings, tok, ws).forEach((w, r) -> runs.get(w).add(r));
            } catch (Exception e) {
                failures.put(part + "/" + t.cliName, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
                System.err.println(part + " on " + t.cliName + " failed: " + e);
            }
        }
        List<ServingReport> reports = new ArrayList<>();
        for (ServingWorkload w : ws) {
            reports.add(ServingBench.report(cmd, file.getFileName().toString(), w, runs.get(w.name())));
        }
        return reports;
    }

    private List<LaunchTarget> cachedTargets() {
        return targets.stream().filter(t -> t.prefixCache).toList();
    }

    private Tokenizer tokenizer() throws Exception {
        try (GgufFile g = GgufFile.open(model.withQuant(cfg.quants().getFirst()).resolve(threads))) {
            return Tokenizers.fromGguf(g);
        }
    }

    private String modelArgs(String quant) {
        return model.modelPath() != null ? "--model-path " + model.modelPath() : (model.tiny() ? "--tiny " : "") + "--quant " + quant;
    }

    private String servingCommand(String args, List<LaunchTarget> ts) {
        return "bin/sglang4j bench serving " + modelArgs(cfg.quants().getFirst()) + " --threads " + threads
                + " --launch " + String.join(",", ts.stream().map(t -> t.cliName).toList()) + " " + args;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
