package org.sglang4j.bench.grammar;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.BenchPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench grammar}: see {@link GrammarBenchmark}. */
@Command(name = "grammar", mixinStandardHelpOptions = true,
        description = "Constrained decoding with the Qwen2 vocabulary (151,936 tokens): compile time of the ticket and "
                + "NLU schemas (cache miss and hit) and grammar time per decoded token (mask fill + accept).")
public final class GrammarCommand implements Callable<Integer> {

    @Option(names = "--vocab", paramLabel = "FILE", description = "Vocabulary GGUF (default: ../shared/testdata/vocab/ggml-vocab-qwen2-rebuilt.gguf)")
    Path vocab;

    @Option(names = "--cold-runs", defaultValue = "10", description = "Cache-miss compilations per schema (default: ${DEFAULT-VALUE})")
    int coldRuns;

    @Option(names = "--requests", defaultValue = "50", description = "Simulated requests per schema (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Token cap per simulated request (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated model (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write the results as JSON")
    Path outputFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (coldRuns < 1 || requests < 2 || maxTokens < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cold-runs >= 1, --requests >= 2, --max-tokens >= 1");
        }
        GrammarReport report = new GrammarBenchmark(coldRuns, requests, maxTokens, seed)
                .run(vocab != null ? vocab : BenchPaths.qwen2Vocab(), BenchJson.commandLine(spec.commandLine().getParseResult().originalArgs()));
        System.out.print(report.markdown());
        if (outputFile != null) BenchJson.write(outputFile, report);
        return 0;
    }
}
