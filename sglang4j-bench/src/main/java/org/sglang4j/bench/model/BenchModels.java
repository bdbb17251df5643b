package org.sglang4j.bench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.sglang4j.bench.peer.LlamaCpp;
import org.sglang4j.bench.peer.LlamaQuantize;

/**
 * The cache of generated benchmark models ({@code ~/.cache/sglang4j/bench} by default; never in the repository):
 * the F16 file is generated once, the quantized files are made from it with llama.cpp's own llama-quantize, and
 * each file is written under a temporary name and moved into place, so an interrupted run leaves no half file.
 */
public record BenchModels(Path cacheDir, Path vocab, LlamaCpp llamaCpp, int threads) {

    public BenchModels {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (!Files.isRegularFile(vocab)) {
            throw new IllegalArgumentException("Qwen2 vocabulary file not found: " + vocab + " (pass --vocab FILE)");
        }
    }

    /** The model of {@code shape} in {@code type} (f16, q8_0, q4_0, …), generated or quantized on first use. */
    public Path ensure(BenchModelShape shape, String type) throws IOException, InterruptedException {
        String t = type.toLowerCase(Locale.ROOT);
        Files.createDirectories(cacheDir);
        Path file = cacheDir.resolve(shape.fileName(t));
        if (Files.isRegularFile(file)) return file;
        if (t.equals("f16")) {
            Path tmp = Files.createTempFile(cacheDir, shape.name(), ".tmp");
            try {
                RandomQwen2Gguf.write(shape, vocab, tmp);
                try {
                    // temp files are private; the model is as readable as any other file the user writes
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException notPosix) {
                    // keep the default permissions
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        }
        Path f16 = ensure(shape, "f16");
        Path tmp = cacheDir.resolve(file.getFileName() + ".tmp");
        System.err.println("quantizing " + f16.getFileName() + " to " + t.toUpperCase(Locale.ROOT) + " with "
                + llamaCpp.tool("llama-quantize"));
        try {
            LlamaQuantize.quantize(llamaCpp, f16, tmp, t, threads);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        System.err.println("wrote " + file);
        return file;
    }
}
