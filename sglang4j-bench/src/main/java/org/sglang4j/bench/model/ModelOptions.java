package org.sglang4j.bench.model;

import java.io.IOException;
import java.nio.file.Path;
import org.sglang4j.bench.BenchPaths;
import org.sglang4j.bench.peer.LlamaCpp;
import picocli.CommandLine.Option;

/**
 * The model options every benchmark command shares (a picocli mixin): a given GGUF file, or the generated
 * Qwen2.5-0.5B-shaped model (tiny with {@code --tiny}) in the quantization {@code --quant}, and where the peer and
 * the vocabulary live.
 */
public final class ModelOptions {

    @Option(names = {"--model-path", "--model"}, paramLabel = "GGUF",
            description = "GGUF model (default: the generated random-weight Qwen2.5-0.5B-shaped model)")
    Path modelPath;

    @Option(names = "--tiny", description = "Use the tiny generated model of the same architecture (smoke tests)")
    boolean tiny;

    @Option(names = "--quant", defaultValue = "q8_0",
            description = "Type of the generated model: q8_0, q4_0, f16 (default: ${DEFAULT-VALUE})")
    String quant;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Generated-model cache (default: ~/.cache/sglang4j/bench)")
    Path cacheDir;

    @Option(names = "--vocab", paramLabel = "FILE", description = "Qwen2 vocabulary GGUF for the generated model")
    Path vocab;

    @Option(names = "--llama-cpp", paramLabel = "DIR", description = "llama.cpp build (default: ../shared/peers/llama.cpp)")
    Path llamaCppDir;

    /** The given model file, or null for the generated one. */
    public Path modelPath() {
        return modelPath;
    }

    public boolean tiny() {
        return tiny;
    }

    public LlamaCpp llamaCpp() {
        return LlamaCpp.locate(llamaCppDir);
    }

    /** The model file: {@code --model-path}, else the generated model (made on first use). */
    public Path resolve(int threads) throws IOException, InterruptedException {
        if (modelPath != null) {
            if (!java.nio.file.Files.isRegularFile(modelPath)) {
                throw new IllegalArgumentException("--model-path: file not found: " + modelPath);
            }
            return modelPath;
        }
        return models(threads).ensure(tiny ? BenchModelShape.TINY : BenchModelShape.QWEN25_0_5B, quant);
    }

    /** The generated-model cache these options point at. */
    public BenchModels models(int threads) {
        return new BenchModels(cacheDir != null ? cacheDir : BenchPaths.modelCache(),
                vocab != null ? vocab : BenchPaths.qwen2Vocab(), llamaCpp(), threads);
    }

    /** A copy for another generated quantization (the report runs several). */
    public ModelOptions withQuant(String q) {
        ModelOptions o = new ModelOptions();
        o.modelPath = modelPath;
        o.tiny = tiny;
        o.quant = q;
        o.cacheDir = cacheDir;
        o.vocab = vocab;
        o.llamaCppDir = llamaCppDir;
        return o;
    }
}
