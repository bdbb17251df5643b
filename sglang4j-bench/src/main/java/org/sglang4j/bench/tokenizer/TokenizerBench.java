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
 * detokenization throughput. Usage: {@code TokenizerBench <vocab.gguf> [megabytes]}.
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

        long t0 = System.nanoTime();
        Tokenizer tok;
        try (GgufFile gguf = GgufFile.open(path)) {
            tok = Tokenizers.fromGguf(gguf);
        }
        double coldMs = (System.nanoTime() - t0) / 1e6;
        double[] warm = new double[5];
        for (int i = 0; i < warm.length; i++) {
            long s = System.nanoTime();
            try (GgufFile gguf = GgufFile.open(path)) {
                Tokenizers.fromGguf(gguf);
            }
            warm[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(warm);
        System.out.printf("vocab %s: %d tokens; load cold %.0f ms (GGUF open + tokenizer build), warm median %.0f ms%n",
                path.getFileName(), tok.vocabSize(), coldMs, warm[warm.length / 2]);

        String text = BenchText.generate(mb << 20, 42);
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        String[] prompts = chunks(text, 4096);

        int[] ids = null;
        for (int warmup = 0; warmup < 3; warmup++) ids = tok.encode(text, false, false);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            ids = tok.encode(text, false, false);
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf("encode one %.1f MB document: %.1f MB/s (%d tokens, %.2f bytes/token)%n",
                bytes / 1e6, bytes / 1e6 / best, ids.length, (double) bytes / ids.length);

        best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            for (String p : prompts) tok.encode(p, false, true);
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf("encode %d prompts of ~4 KiB: %.1f MB/s%n", prompts.length, bytes / 1e6 / best);

        best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            tok.decode(ids, true);
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf("decode: %.1f M tokens/s%n", ids.length / 1e6 / best);

        best = Double.MAX_VALUE;
        long chars = 0;
        for (int r = 0; r < 5; r++) {
            long s = System.nanoTime();
            IncrementalDetokenizer d = new IncrementalDetokenizer(tok, IncrementalDetokenizer.Options.defaults());
            chars = 0;
            for (int id : ids) chars += d.add(id).length();
            chars += d.finish().length();
            best = Math.min(best, (System.nanoTime() - s) / 1e9);
        }
        System.out.printf("incremental detokenizer: %.1f M tokens/s (%d chars)%n", ids.length / 1e6 / best, chars);
    }

    private static String[] chunks(String text, int size) {
        int n = (text.length() + size - 1) / size;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) out[i] = text.substring(i * size, Math.min(text.length(), (i + 1) * size));
        return out;
    }
}
