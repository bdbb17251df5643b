package org.sglang4j.bench.onebatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.model.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench one-batch}: forward-pass latency of static batches (every batch size × input length), in process,
 * like SGLang's bench_one_batch, then llama-bench on the same file (see {@link OneBatchBenchmark} for what is
 * compared with what).
 */
@Command(name = "one-batch", mixinStandardHelpOptions = true,
        description = "Prefill and decode latency of one static batch (in-process Model.forward), compared with "
                + "llama-bench on the same GGUF, threads and KV type.")
public final class OneBatchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--batch-size", split = ",", defaultValue = "1",
            description = "Batch sizes, comma-separated (default: ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--input-len", split = ",", defaultValue = "512",
            description = "Prompt lengths, comma-separated (default: ${DEFAULT-VALUE})")
    List<Integer> inputLens;

    @Option(names = "--output-len", defaultValue = "128", description = "Output tokens per sequence (default: ${DEFAULT-VALUE})")
    int outputLen;

    @Option(names = "--threads", defaultValue = "0", description = "Compute threads for both engines (default: all cores)")
    int threads;

    @Option(names = "--kv-cache-dtype", defaultValue = "f16",
            description = "KV cache type for both engines: f16 (llama-bench's default), f32, bf16 (default: ${DEFAULT-VALUE})")
    String kvCacheDtype;

    @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions per case; with llama-bench, rounds that alternate between the engines "
            + "(each case once, then llama-bench -r 1) (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--warmups", defaultValue = "1", description = "Untimed warm-up passes per case (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--no-peer", description = "Do not run llama-bench")
    boolean noPeer;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random prompts (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--output-file", paramLabel = "FILE", description = "Write the results as JSON")
    Path outputFile;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        List<OneBatchCase> cases = new ArrayList<>();
        for (int b : batchSizes) for (int p : inputLens) cases.add(new OneBatchCase(b, p, outputLen));
        OneBatchBenchmark bench = new OneBatchBenchmark(t, kvCacheDtype, repeat, warmups, seed,
                noPeer ? null : model.llamaCpp());
        OneBatchReport report = bench.run(model.resolve(t), cases,
                BenchJson.commandLine(spec.commandLine().getParseResult().originalArgs()));
        if (outputFile != null) BenchJson.write(outputFile, report);
        return 0;
    }
}
