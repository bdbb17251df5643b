package org.sglang4j.bench.onebatch;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.model.ModelOptions;
import org.sglang4j.bench.peer.LlamaBench;
import org.sglang4j.bench.peer.LlamaCpp;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench one-batch}: forward-pass latency of one static batch, in process, like SGLang's bench_one_batch,
 * then llama-bench on the same file with the same threads and KV type. What is compared:
 * <ul>
 *   <li>prefill tok/s of one sequence of P tokens vs llama-bench {@code ppP} (one forward of P tokens);</li>
 *   <li>decode tok/s with batch 1 vs llama-bench {@code tgN} (N single-token forwards);</li>
 *   <li>decode tok/s with batch B > 1 (B sequences, one token each per forward) vs llama-bench {@code ppB}
 *       (one forward of B tokens of one sequence): the same weight traffic per forward, the figure issue 3 names
 *       "B tokens per forward"; llama-bench has no multi-sequence decode test.</li>
 * </ul>
 * Our decode runs after the prompt (context P … P+N), llama-bench's tg from an empty context; with
 * {@code --input-len 1} both decode over the same context lengths.
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

    @Option(names = "--repeat", defaultValue = "3", description = "Timed repetitions per case, and llama-bench -r (default: ${DEFAULT-VALUE})")
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
        OneBatchReport report = run(BenchJson.commandLine(spec.commandLine().getParseResult().originalArgs()));
        if (outputFile != null) BenchJson.write(outputFile, report);
        return 0;
    }

    OneBatchReport run(String commandLine) throws Exception {
        int t = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        KvDtype kv = switch (kvCacheDtype.toLowerCase(Locale.ROOT)) {
            case "f16" -> KvDtype.F16;
            case "f32" -> KvDtype.F32;
            case "bf16" -> KvDtype.BF16;
            default -> throw new IllegalArgumentException("--kv-cache-dtype must be f16, f32 or bf16, got " + kvCacheDtype);
        };
        Path file = model.resolve(t);
        List<OneBatchCase> cases = new ArrayList<>();
        for (int b : batchSizes) for (int p : inputLens) cases.add(new OneBatchCase(b, p, outputLen));

        long l0 = System.nanoTime();
        List<OneBatchResult> results = new ArrayList<>();
        String quantization;
        long weightBytes;
        double loadSeconds;
        try (Model m = ModelLoader.load(file); ComputePool pool = new ComputePool(t)) {
            loadSeconds = (System.nanoTime() - l0) / 1e9;
            quantization = m.quantization();
            weightBytes = m.weightBytes();
            System.out.printf(Locale.ROOT, "model %s (%s, %d MiB) loaded in %.3f s, %d threads, KV %s%n",
                    file.getFileName(), quantization, weightBytes >> 20, loadSeconds, t, kv);
            OneBatchRunner runner = new OneBatchRunner(m, pool, kv, seed);
            for (OneBatchCase c : cases) {
                OneBatchResult r = runner.run(c, warmups, repeat);
                System.out.println("sglang4j  " + r);
                results.add(r);
            }
        }
        long rss = BenchJson.residentBytes();

        LlamaBench.Run peer = null;
        List<Comparison> comparisons = List.of();
        if (!noPeer) {
            TreeSet<Integer> prompts = new TreeSet<>();
            for (OneBatchCase c : cases) {
                if (c.batchSize() == 1) prompts.add(c.inputLen());
                else prompts.add(c.batchSize());
            }
            boolean single = cases.stream().anyMatch(c -> c.batchSize() == 1);
            LlamaCpp llama = model.llamaCpp();
            peer = LlamaBench.run(llama, file, t, List.copyOf(prompts), single ? List.of(outputLen) : List.of(),
                    repeat, kvCacheDtype.toLowerCase(Locale.ROOT));
            for (LlamaBench.Test test : peer.tests()) {
                System.out.printf(Locale.ROOT, "llama.cpp %-6s %.1f tok/s (median of %d; mean %.1f ± %.1f)%n",
                        test.label(), test.medianTokPerS(), test.samplesTokPerS().length, test.avgTokPerS(),
                        test.stddevTokPerS());
            }
            comparisons = compare(results, peer);
            for (Comparison c : comparisons) {
                System.out.printf(Locale.ROOT, "%-40s sglang4j %10.1f  llama.cpp %10.1f  ratio %.2f%n", c.metric(),
                        c.ours(), c.peer(), c.ratio());
            }
        }
        return new OneBatchReport(commandLine,
                ZonedDateTime.now().toString(), file.getFileName().toString(), quantization, weightBytes, t,
                kvCacheDtype, loadSeconds, rss, results, peer, comparisons);
    }

    /** Pairs our figures with llama-bench's tests as described in the class comment. */
    static List<Comparison> compare(List<OneBatchResult> results, LlamaBench.Run peer) {
        List<Comparison> out = new ArrayList<>();
        for (OneBatchResult r : results) {
            if (r.batchSize() == 1) {
                LlamaBench.Test pp = peer.find(r.inputLen(), 0);
                out.add(new Comparison("prefill tok/s, prompt " + r.inputLen(), "tok/s", r.prefillTokPerS(),
                        pp.medianTokPerS(), true, "one-batch " + r.batchSize() + "x" + r.inputLen(), "llama-bench " + pp.label()));
            }
        }
        TreeSet<Integer> batchSizes = new TreeSet<>();
        results.forEach(r -> batchSizes.add(r.batchSize()));
        for (int b : batchSizes) {
            OneBatchResult r = results.stream().filter(x -> x.batchSize() == b && x.outputLen() > 1)
                    .min(java.util.Comparator.comparingInt(OneBatchResult::inputLen)).orElse(null);
            if (r == null) continue;
            LlamaBench.Test test = b == 1 ? peer.find(0, r.outputLen()) : peer.find(b, 0);
            out.add(new Comparison("decode tok/s, batch " + b, "tok/s", r.decodeTokPerS(), test.medianTokPerS(), true,
                    "one-batch " + b + "x" + r.inputLen() + " decode", "llama-bench " + test.label()
                            + (b == 1 ? "" : " (" + b + " tokens per forward)")));
        }
        return out;
    }
}
