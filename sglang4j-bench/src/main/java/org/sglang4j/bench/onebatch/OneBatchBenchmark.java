package org.sglang4j.bench.onebatch;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.sglang4j.bench.Comparison;
import org.sglang4j.bench.MachineLoad;
import org.sglang4j.bench.peer.LlamaBench;
import org.sglang4j.bench.peer.LlamaCpp;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.model.KvDtype;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelLoader;
import org.sglang4j.core.tensor.VnniKernels;
import org.sglang4j.engine.ResidentMemory;

/**
 * Runs one-batch cases in process, then llama-bench on the same file with the same threads and KV type, and pairs
 * the figures. What is compared:
 * <ul>
 *   <li>prefill tok/s of one sequence of P tokens (batch 1, P > 1) vs llama-bench {@code ppP} (one forward of P
 *       tokens);</li>
 *   <li>decode tok/s with batch 1 vs llama-bench {@code tgN} (N single-token forwards);</li>
 *   <li>decode tok/s with batch B > 1 (B sequences, one token each per forward) vs llama-bench {@code ppB}
 *       (one forward of B tokens of one sequence): the same weight traffic per forward — the figure issue 3 calls
 *       "B tokens per forward"; llama-bench has no multi-sequence decode test.</li>
 * </ul>
 * Our decode runs after the prompt (context P … P+N), llama-bench's tg from an empty context: cases with
 * input length 1 decode over the same context lengths as tgN.
 *
 * @param peer null: do not run llama-bench
 */
public record OneBatchBenchmark(int threads, String kvCacheDtype, int repeat, int warmups, long seed, LlamaCpp peer) {

    public OneBatchBenchmark {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        kvDtype(kvCacheDtype);
    }

    static KvDtype kvDtype(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f16" -> KvDtype.F16;
            case "f32" -> KvDtype.F32;
            case "bf16" -> KvDtype.BF16;
            default -> throw new IllegalArgumentException("--kv-cache-dtype must be f16, f32 or bf16, got " + s);
        };
    }

    /**
     * Runs every case, and llama-bench on the same tests. With a peer the repetitions go in rounds that alternate
     * between the engines (every case once, then llama-bench {@code -r 1}), so a shared machine that slows down or
     * speeds up over minutes affects both alike; run back to back, one engine's minutes could be slower than the
     * other's and the ratio moved by 10-20% with no change in either.
     */
    public OneBatchReport run(Path file, List<OneBatchCase> cases, String commandLine) throws Exception {
        KvDtype kv = kvDtype(kvCacheDtype);
        MachineLoad.warnIfBusy();
        long l0 = System.nanoTime();
        int rounds = peer == null ? 1 : repeat;
        int perRound = peer == null ? repeat : 1;
        List<List<OneBatchResult>> byCase = new ArrayList<>();
        cases.forEach(c -> byCase.add(new ArrayList<>()));
        List<LlamaBench.Run> peerRounds = new ArrayList<>();
        String quantization;
        long weightBytes;
        double loadSeconds;
        try (Model m = ModelLoader.load(file); ComputePool pool = new ComputePool(threads)) {
            loadSeconds = (System.nanoTime() - l0) / 1e9;
            quantization = m.quantization();
            weightBytes = m.weightBytes();
            System.out.printf(Locale.ROOT, "model %s (%s, %d MiB) loaded in %.3f s, %d threads, KV %s%n",
                    file.getFileName(), quantization, weightBytes >> 20, loadSeconds, threads, kv);
            OneBatchRunner runner = new OneBatchRunner(m, pool, kv, seed);
            for (int round = 0; round < rounds; round++) {
                if (rounds > 1) System.out.printf(Locale.ROOT, "round %d/%d%n", round + 1, rounds);
                for (int i = 0; i < cases.size(); i++) {
                    OneBatchResult r = runner.run(cases.get(i), round == 0 ? warmups : 0, perRound);
                    System.out.println("sglang4j  " + r);
                    byCase.get(i).add(r);
                }
                if (peer != null) peerRounds.add(runPeer(file, cases));
            }
        }
        long rss = Math.max(0, ResidentMemory.bytes()); // 0 where there is no /proc
        List<OneBatchResult> results = byCase.stream().map(OneBatchResult::medianOf).toList();
        if (rounds > 1) results.forEach(r -> System.out.println("sglang4j  median " + r));

        LlamaBench.Run peerRun = null;
        List<Comparison> comparisons = List.of();
        if (peer != null) {
            peerRun = LlamaBench.merge(peerRounds);
            for (LlamaBench.Test test : peerRun.tests()) {
                System.out.printf(Locale.ROOT, "llama.cpp %-6s %.1f tok/s (median of %d; mean %.1f ± %.1f)%n",
                        test.label(), test.medianTokPerS(), test.samplesTokPerS().length, test.avgTokPerS(),
                        test.stddevTokPerS());
            }
            comparisons = compare(results, peerRun);
            for (Comparison c : comparisons) {
                System.out.printf(Locale.ROOT, "%-32s sglang4j %10.1f  llama.cpp %10.1f  ratio %.2f%n", c.metric(),
                        c.ours(), c.peer(), c.ratio());
            }
        }
        return new OneBatchReport(commandLine, ZonedDateTime.now().toString(), file.getFileName().toString(),
                quantization, weightBytes, threads, kvCacheDtype, loadSeconds, rss, results, peerRun, comparisons,
                VnniKernels.describe());
    }

    /** One llama-bench run ({@code -r 1}) of the tests our cases pair with. */
    private LlamaBench.Run runPeer(Path file, List<OneBatchCase> cases) throws Exception {
        TreeSet<Integer> prompts = new TreeSet<>();
        boolean single = false;
        for (OneBatchCase c : cases) {
            if (c.batchSize() == 1 && c.inputLen() > 1) prompts.add(c.inputLen());
            if (c.batchSize() > 1 && c.outputLen() > 1) prompts.add(c.batchSize());
            single |= c.batchSize() == 1 && c.outputLen() > 1;
        }
        int gen = cases.stream().filter(c -> c.batchSize() == 1 && c.outputLen() > 1)
                .mapToInt(OneBatchCase::outputLen).findFirst().orElse(0);
        return LlamaBench.run(peer, file, threads, List.copyOf(prompts), single ? List.of(gen) : List.of(), 1,
                kvCacheDtype.toLowerCase(Locale.ROOT));
    }

    /** Pairs our figures with llama-bench's tests as described in the class comment. */
    public static List<Comparison> compare(List<OneBatchResult> results, LlamaBench.Run peer) {
        List<Comparison> out = new ArrayList<>();
        for (OneBatchResult r : results) {
            if (r.batchSize() == 1 && r.inputLen() > 1) {
                LlamaBench.Test pp = peer.find(r.inputLen(), 0);
                out.add(new Comparison("prefill tok/s, prompt " + r.inputLen(), "tok/s", r.prefillTokPerS(),
                        pp.medianTokPerS(), true, "one-batch 1x" + r.inputLen() + " prefill", "llama-bench " + pp.label()));
            }
        }
        TreeSet<Integer> batchSizes = new TreeSet<>();
        results.forEach(r -> batchSizes.add(r.batchSize()));
        for (int b : batchSizes) {
            OneBatchResult r = results.stream().filter(x -> x.batchSize() == b && x.outputLen() > 1)
                    .min(Comparator.comparingInt(OneBatchResult::inputLen)).orElse(null);
            if (r == null) continue;
            LlamaBench.Test test = b == 1 ? peer.find(0, r.outputLen()) : peer.find(b, 0);
            out.add(new Comparison("decode tok/s, batch " + b, "tok/s", r.decodeTokPerS(), test.medianTokPerS(), true,
                    "one-batch " + b + "x" + r.inputLen() + " decode", "llama-bench " + test.label()
                            + (b == 1 ? "" : " (" + b + " tokens per forward)")));
        }
        return out;
    }
}
