package org.sglang4j.bench.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import org.sglang4j.bench.BenchPaths;

/**
 * A llama.cpp build directory holding {@code llama-bench}, {@code llama-server} and {@code llama-quantize}: by
 * default the native peer build in {@code ../shared/peers/llama.cpp} (it loads its AVX-512/AMX CPU backend at run
 * time), or any build whose directory is given.
 */
public record LlamaCpp(Path dir) {

    public LlamaCpp {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("llama.cpp directory not found: " + dir + " (pass --llama-cpp DIR)");
        }
    }

    /** {@code dir} when given, else the shared peer build. */
    public static LlamaCpp locate(Path dir) {
        return new LlamaCpp(dir != null ? dir : BenchPaths.llamaCpp());
    }

    /** The executable {@code name} in this build, or an IllegalArgumentException naming what is missing. */
    public Path tool(String name) {
        Path exe = dir.resolve(name);
        if (!Files.isExecutable(exe)) {
            throw new IllegalArgumentException("llama.cpp tool " + name + " not found or not executable in " + dir);
        }
        return exe;
    }
}
