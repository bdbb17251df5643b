package org.sglang4j.bench.tokenizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.tokenizer.IncrementalDetokenizer;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;

/**
 * Tokenizer speed on one core: vocabulary load time (cold, in a fresh JVM, then warm), encode throughput in MB/s
 * of UTF-8 over mixed English/Chinese text (as 4 KiB prompts and as one long document), decode and incremental
 * detokenization throughput. Each figure is given per wall-clock second and per second of the thread's CPU time:
 * on a shared machine the second one is what one core actually delivers. Usage:
 * {@code TokenizerBench <vocab.gguf> [megabytes]}.
 */
public final class TokenizerBench {
    private TokenizerBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TokenizerBench <vocab.gguf> [megabytes=4]");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        int mb = args.length > 1 ? Integer.parseInt(args[1]) : 4;

        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Tokenizer tok;
        try (GgufFile gguf = GgufFile.open(path)) {
            tok = Tokenizers.fromGguf(gguf);
        }
        double coldMs = (System.nanoTime() - t0) / 1e6;
        double coldCpuMs = (os.getProcessCpuTime() - c0) / 1e6;
        double[] warm = new double[7], warmCpu = new double[7];
        for (int i = 0; i < warm.length; i++) {
            long c = os.getProcessCpuTime(), s = System.nanoTime();
            try (GgufFile gguf = GgufFile.open(path)) {
                Tokenizers.fromGguf(gguf);
            }
            warm[i] = (System.nanoTime() - s) / 1e6;
            warmCpu[i] = (os.getProcessCpuTime() - c) / 1e6;
        }
        Arrays.sort(warm);
        Arrays.sort(warmCpu);
        System.out.printf("vocab %s: %d tokens; load (GGUF open + tokenizer build) cold %.0f ms wall / %.0f ms CPU "
                + "(all threads, incl. JIT); warm median %.0f ms wall / %.0f ms CPU%n",
                path.getFileName(), tok.vocabSize(), coldMs, coldCpuMs, warm[warm.length / 2], warmCpu[warm.length / 2]);

        String text = BenchText.generate(mb << 20, 42);
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        String[] prompts = chunks(text, 4096);

        int[] ids = tok.encode(text, false, false);
        for (int warmup = 0; warmup < 3; warmup++) tok.encode(text, false, false);
        Timing t = Timing.best(5, () -> tok.encode(text, false, false));
        System.out.printf("encode one %.1f MB document: %s MB/s (%d tokens, %.2f bytes/token)%n",
                bytes / 1e6, t.rate(bytes / 1e6), ids.length, (double) bytes / ids.length);

        t = Timing.best(5, () -> {
            for (String p : prompts) tok.encode(p, false, true);
        });
        System.out.printf("encode %d prompts of ~4 KiB: %s MB/s%n", prompts.length, t.rate(bytes / 1e6));

        int[] all = ids;
        t = Timing.best(5, () -> tok.decode(all, true));
        System.out.printf("decode: %s M tokens/s%n", t.rate(ids.length / 1e6));

        t = Timing.best(5, () -> {
            IncrementalDetokenizer d = new IncrementalDetokenizer(tok,
                    IncrementalDetokenizer.Options.defaults().withStop(java.util.List.of("</answer>", "\n\nUser:")));
            for (int id : all) d.add(id);
            d.finish();
        });
        System.out.printf("incremental detokenizer (2 stop strings): %s M tokens/s%n", t.rate(ids.length / 1e6));
    }

    /** Best of n runs, in wall-clock and in this thread's CPU seconds. */
    private record Timing(double wall, double cpu) {
        static Timing best(int runs, Runnable r) {
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            double wall = Double.MAX_VALUE, cpu = Double.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long c = mx.getCurrentThreadCpuTime(), s = System.nanoTime();
                r.run();
                wall = Math.min(wall, (System.nanoTime() - s) / 1e9);
                cpu = Math.min(cpu, (mx.getCurrentThreadCpuTime() - c) / 1e9);
            }
            return new Timing(wall, cpu);
        }

        String rate(double amount) {
            return String.format("%.1f (wall) / %.1f (CPU)", amount / wall, amount / cpu);
        }
    }

    private static String[] chunks(String text, int size) {
        int n = (text.length() + size - 1) / size;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = text.substring(i * size, Math.min(text.length(), (i + 1) * size));
        return out;
    }
}
