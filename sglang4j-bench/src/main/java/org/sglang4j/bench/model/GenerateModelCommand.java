package org.sglang4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchPaths;
import org.sglang4j.bench.peer.LlamaCpp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench gen-model}: generates (or finds in the cache) the benchmark models and prints their paths. */
@Command(name = "gen-model", mixinStandardHelpOptions = true,
        description = "Generate the random-weight Qwen2.5-0.5B-shaped benchmark model (F16, then quantized with "
                + "llama-quantize) into the cache and print the paths.")
public final class GenerateModelCommand implements Callable<Integer> {

    @Option(names = "--type", split = ",", defaultValue = "q8_0,q4_0",
            description = "Types to make: f16, q8_0, q4_0, … (default: ${DEFAULT-VALUE})")
    List<String> types;

    @Option(names = "--tiny", description = "A tiny model of the same architecture (smoke tests)")
    boolean tiny;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Where models are cached (default: ~/.cache/sglang4j/bench)")
    Path cacheDir;

    @Option(names = "--vocab", paramLabel = "FILE", description = "Qwen2 vocabulary GGUF (default: ../shared/testdata/vocab/ggml-vocab-qwen2-rebuilt.gguf)")
    Path vocab;

    @Option(names = "--llama-cpp", paramLabel = "DIR", description = "llama.cpp build with llama-quantize (default: ../shared/peers/llama.cpp)")
    Path llamaCpp;

    @Option(names = "--threads", defaultValue = "0", description = "Threads for llama-quantize (default: all cores)")
    int threads;

    @Override
    public Integer call() throws Exception {
        BenchModels models = new BenchModels(cacheDir != null ? cacheDir : BenchPaths.modelCache(),
                vocab != null ? vocab : BenchPaths.qwen2Vocab(), LlamaCpp.locate(llamaCpp),
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        BenchModelShape shape = tiny ? BenchModelShape.TINY : BenchModelShape.QWEN25_0_5B;
        for (String t : types) System.out.println(models.ensure(shape, t));
        return 0;
    }
}
