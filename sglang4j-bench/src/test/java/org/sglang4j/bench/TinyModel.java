package org.sglang4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.sglang4j.bench.model.BenchModelShape;
import org.sglang4j.bench.model.BenchModels;
import org.sglang4j.bench.peer.LlamaCpp;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.testing.SharedData;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;

/**
 * The tiny generated benchmark model, made once per test JVM in a temporary cache directory (removed at exit);
 * commands under test get {@code --tiny --cache-dir} {@link #cacheDir()} and find it there.
 */
public final class TinyModel {
    private static Path cacheDir;

    private TinyModel() {}

    public static synchronized Path cacheDir() {
        if (cacheDir == null) {
            try {
                cacheDir = Files.createTempDirectory("sglang4j-bench-models");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = cacheDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        }
        return cacheDir;
    }

    public static BenchModels models() {
        return new BenchModels(cacheDir(), SharedData.vocab("ggml-vocab-qwen2-rebuilt.gguf"), llamaCpp(), 2);
    }

    public static LlamaCpp llamaCpp() {
        return new LlamaCpp(SharedData.llamaCpp());
    }

    public static synchronized Path file(String type) {
        try {
            return models().ensure(BenchModelShape.TINY, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Tokenizer qwen2Tokenizer() {
        try (GgufFile g = GgufFile.open(SharedData.vocab("ggml-vocab-qwen2-rebuilt.gguf"))) {
            return Tokenizers.fromGguf(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp files; the OS cleans them
        }
    }
}
