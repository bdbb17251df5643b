package org.sglang4j.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared} (real test data and the llama.cpp peer) beside the repository root. Surefire passes
 * it as the system property {@code sglang4j.shared}; running a test from an IDE falls back to walking up from the
 * working directory.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String prop = System.getProperty("sglang4j.shared");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata"))) return Path.of(prop).normalize();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("testdata"))) return candidate.normalize();
        }
        throw new IllegalStateException("../shared/testdata not found (set -Dsglang4j.shared=<path>)");
    }

    public static Path testdata(String relative) {
        return root().resolve("testdata").resolve(relative);
    }

    public static Path vocab(String name) {
        return testdata("vocab").resolve(name);
    }

    public static Path stories260K() {
        return testdata("stories260K");
    }

    /** Directory of the native llama.cpp build used as oracle and speed peer. */
    public static Path llamaCpp() {
        return root().resolve("peers").resolve("llama.cpp");
    }
}
