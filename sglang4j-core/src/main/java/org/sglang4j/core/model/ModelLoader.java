package org.sglang4j.core.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.loader.GgufModelLoader;
import org.sglang4j.core.loader.HfModelLoader;
import org.sglang4j.core.loader.Llama2cLoader;

/**
 * Loads a model by sniffing its format: a Hugging Face directory ({@code config.json} + safetensors), a GGUF file
 * (magic "GGUF") or a llama2.c checkpoint ({@code .bin}).
 */
public final class ModelLoader {
    private ModelLoader() {}

    public static Model load(Path path) {
        try {
            if (Files.isDirectory(path)) {
                if (Files.isRegularFile(path.resolve(HfModelLoader.CONFIG_FILE))) return HfModelLoader.load(path);
                throw new IllegalArgumentException(path + " is a directory without " + HfModelLoader.CONFIG_FILE
                        + ": pass a Hugging Face model directory, a .gguf file or a llama2.c .bin checkpoint");
            }
            if (!Files.isRegularFile(path)) throw new IllegalArgumentException("model file not found: " + path);
            if (GgufFile.isGguf(path)) return GgufModelLoader.load(path);
            if (path.getFileName().toString().endsWith(".bin")) return Llama2cLoader.load(path);
            throw new IllegalArgumentException(path + " is neither a GGUF file (no 'GGUF' magic) nor a llama2.c "
                    + "checkpoint (.bin)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model " + path, e);
        }
    }
}
