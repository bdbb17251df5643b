package org.sglang4j.bench.serving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sglang4j.bench.peer.LlamaCpp;

/**
 * A server {@code bench serving --launch} starts itself, on the benchmark's model, threads and parallelism:
 * <ul>
 *   <li>{@code sglang4j}: our server ({@code org.sglang4j.server.cli.Main serve}) in a child JVM with this JVM's
 *       class path; {@code sglang4j-no-cache} adds {@code --disable-radix-cache};</li>
 *   <li>{@code llama.cpp}: {@code llama-server --parallel N} with N × the per-request context;
 *       {@code llama.cpp-no-cache} sends {@code "cache_prompt": false} with every request, llama.cpp's switch
 *       for its prompt cache.</li>
 * </ul>
 * Both get the same KV cache type (llama.cpp's default f16 unless told otherwise) and the same KV capacity
 * (N × the per-request context: llama.cpp's {@code -c}, our {@code --max-total-tokens}).
 */
public enum LaunchTarget {
    SGLANG4J("sglang4j", true, true),
    SGLANG4J_NO_CACHE("sglang4j-no-cache", true, false),
    LLAMA_CPP("llama.cpp", false, true),
    LLAMA_CPP_NO_CACHE("llama.cpp-no-cache", false, false);

    public final String cliName;
    public final boolean ours;
    public final boolean prefixCache;

    LaunchTarget(String cliName, boolean ours, boolean prefixCache) {
        this.cliName = cliName;
        this.ours = ours;
        this.prefixCache = prefixCache;
    }

    /**
     * The memory flags bin/sglang4j gives the server (see its comments): the serial collector unless
     * {@code javaOpts} names another, a small heap kept close to its live data, freed malloc memory returned.
     */
    static List<String> serverJvmFlags(List<String> javaOpts) {
        List<String> flags = new ArrayList<>();
        if (javaOpts.stream().noneMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"))) flags.add("-XX:+UseSerialGC");
        flags.addAll(List.of("-Xms64m", "-Xmx2g", "-Xmn8m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20",
                "-XX:TrimNativeHeapInterval=5000"));
        return flags;
    }

    public static LaunchTarget of(String name) {
        for (LaunchTarget t : values()) if (t.cliName.equals(name.toLowerCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException("unknown --launch target " + name
                + " (use sglang4j, sglang4j-no-cache, llama.cpp or llama.cpp-no-cache)");
    }

    /**
     * The command that starts this server on {@code port}.
     *
     * @param parallel          requests served at once (llama.cpp slots; our --max-running-requests)
     * @param contextPerRequest tokens of context each request may use
     * @param javaOpts          extra JVM options for our server
     */
    public List<String> command(Path model, int port, int threads, int parallel, int contextPerRequest,
                                String kvType, LlamaCpp llama, List<String> javaOpts) {
        List<String> cmd = new ArrayList<>();
        if (ours) {
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
            cmd.addAll(serverJvmFlags(javaOpts));
            cmd.addAll(javaOpts);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.sglang4j.server.cli.Main", "serve",
                    "--model-path", model.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--threads", Integer.toString(threads), "--max-running-requests", Integer.toString(parallel),
                    "--context-length", Integer.toString(contextPerRequest), "--max-total-tokens",
                    Integer.toString(parallel * contextPerRequest), "--kv-cache-dtype", kvType));
            if (!prefixCache) cmd.add("--disable-radix-cache");
        } else {
            cmd.addAll(List.of(llama.tool("llama-server").toString(), "-m", model.toString(), "-t",
                    Integer.toString(threads), "--parallel", Integer.toString(parallel), "-c",
                    Integer.toString(parallel * contextPerRequest), "-ctk", kvType, "-ctv", kvType, "--host",
                    "127.0.0.1", "--port", Integer.toString(port)));
        }
        return cmd;
    }
}
