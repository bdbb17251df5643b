package org.sglang4j.bench.report;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchMain;
import org.sglang4j.bench.onebatch.OneBatchBenchmark;
import org.sglang4j.bench.onebatch.OneBatchReport;
import org.sglang4j.bench.onebatch.OneBatchResult;

/**
 * The one-batch cases again with the Java kernels only ({@code -Dsglang4j.native=false}), in a child JVM (the
 * choice of kernels is made once per process), compared with the llama-bench figures of the main run. Where the
 * optional native kernels run, this shows what the pure-Java engine does on the same machine.
 */
final class JavaKernelsRun {
    private JavaKernelsRun() {}

    /** The JVM flag that turns the native kernels off, as a user would pass it (SGLANG4J_JAVA_OPTS). */
    static final String FLAG = "-Dsglang4j.native=false";

    /**
     * Runs {@code bench one-batch} once per argument list in {@code runs} (each with {@code common} in front and
     * {@code --no-peer}) and merges them into one report, its comparisons against {@code main}'s llama-bench run.
     */
    static OneBatchReport run(Path model, List<String> common, List<List<String>> runs, OneBatchReport main,
                              String command) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<OneBatchResult> results = new ArrayList<>();
        OneBatchReport last = null;
        for (List<String> args : runs) {
            Path out = Files.createTempFile("sglang4j-java-kernels", ".json");
            try {
                // This JVM's own options (the launcher's), then the flag, which wins over an earlier setting.
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
                cmd.addAll(List.of(FLAG, "-cp", System.getProperty("java.class.path"), BenchMain.class.getName(),
                        "one-batch", "--model-path", model.toString(), "--no-peer", "--output-file", out.toString()));
                cmd.addAll(common);
                cmd.addAll(args);
                System.err.println("one-batch with the Java kernels only: " + String.join(" ", args));
                Process p = new ProcessBuilder(cmd).inheritIO().start();
                int rc = p.waitFor();
                if (rc != 0) throw new IllegalStateException("one-batch with " + FLAG + " exited with " + rc);
                last = BenchJson.read(out, OneBatchReport.class);
                results.addAll(last.results());
            } finally {
                Files.deleteIfExists(out);
            }
        }
        return new OneBatchReport(command, last.date(), last.model(), last.quantization(), last.weightBytes(),
                last.threads(), last.kvCacheDtype(), last.loadSeconds(), last.residentBytes(), results, main.peer(),
                main.peer() == null ? List.of() : OneBatchBenchmark.compare(results, main.peer()), last.kernels());
    }
}
