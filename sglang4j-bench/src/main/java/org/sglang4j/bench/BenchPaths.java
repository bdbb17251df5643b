package org.sglang4j.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the benchmarks find what lives outside the repository: {@code ../shared} beside the repository root (the
 * Qwen2 vocabulary, the native llama.cpp peer) and the cache directory for generated models. Looked up from the
 * {@code sglang4j.shared} system property or {@code SGLANG4J_SHARED}, then by walking up from the working directory
 * and from where these classes were loaded (so {@code bin/sglang4j bench} works from any directory).
 */
public final class BenchPaths {
    private BenchPaths() {}

    /** The {@code shared} directory, or an IllegalStateException saying how to point at it. */
    public static Path shared() {
        for (String given : new String[] {System.getProperty("sglang4j.shared"), System.getenv("SGLANG4J_SHARED")}) {
            if (given != null && !given.isBlank() && Files.isDirectory(Path.of(given))) return Path.of(given).normalize();
        }
        for (Path start : new Path[] {Path.of("").toAbsolutePath(), codeLocation()}) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolveSibling("shared");
                if (Files.isDirectory(candidate.resolve("peers")) || Files.isDirectory(candidate.resolve("testdata"))) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("../shared (llama.cpp peer, Qwen2 vocabulary) not found beside the repository; "
                + "set SGLANG4J_SHARED=<path> or pass --llama-cpp / --vocab explicitly");
    }

    /** The native llama.cpp build used as the speed peer ({@code shared/peers/llama.cpp}). */
    public static Path llamaCpp() {
        return shared().resolve("peers").resolve("llama.cpp");
    }

    /** The Qwen2 vocabulary whose tokenizer metadata the generated benchmark model carries. */
    public static Path qwen2Vocab() {
        return shared().resolve("testdata").resolve("vocab").resolve("ggml-vocab-qwen2-rebuilt.gguf");
    }

    /** Generated benchmark models: {@code $XDG_CACHE_HOME/sglang4j/bench} (default {@code ~/.cache}). */
    public static Path modelCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sglang4j").resolve("bench");
    }

    /** The repository root when running from a checkout (module/target/classes), else the working directory. */
    public static Path repoRoot() {
        for (Path dir = codeLocation(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("sglang4j-bench"))) return dir;
        }
        return Path.of("").toAbsolutePath();
    }

    private static Path codeLocation() {
        try {
            var source = BenchPaths.class.getProtectionDomain().getCodeSource();
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
