package org.sglang4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.onebatch.OneBatchReport;
import org.sglang4j.bench.serving.ServingReport;

/**
 * Everything one suite run produced, as saved in the results directory (one JSON file per part, so a part can be
 * re-run alone and the report redrawn from the files):
 * <pre>
 * environment.json            SuiteEnvironment
 * one-batch-QUANT.json        OneBatchReport per quantization
 * java-kernels-QUANT.json     the same cases with the Java kernels only (where the native ones run)
 * multi-turn.json             ServingReport (sglang4j ± radix cache, llama.cpp ± prompt cache)
 * constrained-free.json       ServingReport without a schema …
 * constrained-json.json       … and with the ticket JSON schema
 * concurrency-N.json          ServingReport per max-concurrency level
 * failures.json               part (/ target) → why it was not measured
 * </pre>
 */
public record SuiteResults(SuiteEnvironment environment, Map<String, OneBatchReport> oneBatch,
                           Map<String, OneBatchReport> javaKernels, ServingReport multiTurn, ServingReport constrainedFree, ServingReport constrainedJson,
                           Map<Integer, ServingReport> concurrency, Map<String, String> failures) {

    public static SuiteResults read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("results directory not found: " + dir);
        SuiteEnvironment env = optional(dir.resolve("environment.json"), SuiteEnvironment.class);
        Map<String, OneBatchReport> oneBatch = new LinkedHashMap<>();
        Map<String, OneBatchReport> javaKernels = new LinkedHashMap<>();
        Map<Integer, ServingReport> concurrency = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.sorted().toList());
        }
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (n.startsWith("one-batch-") && n.endsWith(".json")) {
                oneBatch.put(n.substring("one-batch-".length(), n.length() - 5), BenchJson.read(f, OneBatchReport.class));
            } else if (n.startsWith("java-kernels-") && n.endsWith(".json")) {
                javaKernels.put(n.substring("java-kernels-".length(), n.length() - 5),
                        BenchJson.read(f, OneBatchReport.class));
            } else if (n.startsWith("concurrency-") && n.endsWith(".json")) {
                concurrency.put(Integer.parseInt(n.substring("concurrency-".length(), n.length() - 5)),
                        BenchJson.read(f, ServingReport.class));
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, String> failures = Files.isRegularFile(dir.resolve("failures.json"))
                ? BenchJson.read(dir.resolve("failures.json"), Map.class) : Map.of();
        return new SuiteResults(env, oneBatch, javaKernels, optional(dir.resolve("multi-turn.json"), ServingReport.class),
                optional(dir.resolve("constrained-free.json"), ServingReport.class),
                optional(dir.resolve("constrained-json.json"), ServingReport.class), concurrency, failures);
    }

    private static <T> T optional(Path f, Class<T> type) {
        return Files.isRegularFile(f) ? BenchJson.read(f, type) : null;
    }
}
