package org.sglang4j.bench.grammar;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;
import org.sglang4j.grammar.CompiledGrammar;
import org.sglang4j.grammar.GrammarCompiler;
import org.sglang4j.grammar.GrammarMatcher;

/**
 * Compile time and mask time of the case study's schemas. Decoding is simulated: a stand-in "model" picks a random
 * allowed token each step (preferring tokens that close strings now and then, so outputs finish); only the
 * grammar's own work — {@code fillNextTokenMask} and {@code acceptToken} — is timed.
 */
final class GrammarBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final int coldRuns;
    private final int requests;
    private final int maxTokens;
    private final long seed;

    GrammarBenchmark(int coldRuns, int requests, int maxTokens, long seed) {
        this.coldRuns = coldRuns;
        this.requests = requests;
        this.maxTokens = maxTokens;
        this.seed = seed;
    }

    GrammarReport run(Path vocabFile, String commandLine) throws IOException {
        Tokenizer tok;
        try (GgufFile g = GgufFile.open(vocabFile)) {
            tok = Tokenizers.fromGguf(g);
        }
        long t0 = System.nanoTime();
        GrammarCompiler compiler = new GrammarCompiler(tok, 4096);
        double indexMs = (System.nanoTime() - t0) / 1e6;
        Map<String, String> schemas = BenchSchemas.all();
        List<Double> first = new ArrayList<>();
        for (String schema : schemas.values()) first.add(compileMs(compiler, schema));
        // Warm the JIT on unrelated grammars before timing cache misses.
        for (int i = 0; i < 20; i++) compiler.compile(new Constraint.Regex("[a-z]{1,8}-" + i + "(x|y)*[0-9]{2}"), TIMEOUT);
        List<GrammarReport.SchemaResult> results = new ArrayList<>();
        int k = 0;
        for (var e : schemas.entrySet()) {
            results.add(measure(compiler, tok, e.getKey(), e.getValue(), first.get(k++)));
        }
        return new GrammarReport(commandLine, vocabFile.getFileName().toString(), tok.vocabSize(), indexMs, results);
    }

    private GrammarReport.SchemaResult measure(GrammarCompiler compiler, Tokenizer tok, String name, String schema, double firstMs) {
        double[] cold = new double[coldRuns];
        for (int i = 0; i < coldRuns; i++) cold[i] = compileMs(compiler, BenchSchemas.variant(schema, i));
        Arrays.sort(cold);
        Constraint c = new Constraint.JsonSchema(schema);
        CompiledGrammar g = compiler.compile(c, TIMEOUT);
        int hits = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < hits; i++) if (compiler.compile(c, TIMEOUT) != g) throw new IllegalStateException("cache miss");
        double cachedUs = (System.nanoTime() - t0) / 1e3 / hits;

        // A grammar nobody has used yet: its first request computes masks as it reaches new states.
        CompiledGrammar fresh = compiler.compile(new Constraint.JsonSchema(BenchSchemas.variant(schema, 10_000)), TIMEOUT);
        Random random = new Random(seed);
        Walker walker = new Walker(tok);
        List<Long> firstTimes = new ArrayList<>();
        int newStates = walker.decode(fresh, random, maxTokens, firstTimes);
        List<Long> laterTimes = new ArrayList<>();
        for (int r = 1; r < requests; r++) walker.decode(fresh, random, maxTokens, laterTimes);
        return new GrammarReport.SchemaResult(name, g.numStates(), firstMs, median(cold), cold[cold.length - 1], cachedUs,
                stats(firstTimes, newStates), stats(laterTimes, 0));
    }

    private static double compileMs(GrammarCompiler compiler, String schema) {
        long t0 = System.nanoTime();
        compiler.compile(new Constraint.JsonSchema(schema), TIMEOUT);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static GrammarReport.TokenTimes stats(List<Long> nanos, int newStates) {
        long[] a = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (a.length == 0) return new GrammarReport.TokenTimes(0, 0, 0, 0, 0, 0, newStates);
        double mean = Arrays.stream(a).average().orElse(0);
        return new GrammarReport.TokenTimes(a.length, a[a.length / 2] / 1e3, a[(int) (a.length * 0.9)] / 1e3,
                a[Math.min(a.length - 1, (int) (a.length * 0.99))] / 1e3, a[a.length - 1] / 1e3, mean / 1e3, newStates);
    }

    /** The stand-in model. Token selection is not timed. */
    private static final class Walker {
        private final int[] allowed;
        private final int[] closing;
        private final boolean[] isClosing;
        private final boolean[] isEos;
        private final long[] mask;

        Walker(Tokenizer tok) {
            int n = tok.vocabSize();
            allowed = new int[n];
            closing = new int[n];
            isClosing = new boolean[n];
            isEos = new boolean[n];
            for (int t = 0; t < n; t++) {
                for (byte b : tok.tokenBytes(t)) if (b == '"' || b == '}' || b == ']' || b == ',') isClosing[t] = true;
            }
            for (int e : tok.eosIds()) isEos[e] = true;
            mask = new long[(n + 63) >>> 6];
        }

        /** Decodes one request; appends per-token grammar time; returns how many tokens met a state's first visit. */
        int decode(CompiledGrammar g, Random random, int maxTokens, List<Long> times) {
            GrammarMatcher m = g.newMatcher();
            int slow = 0;
            for (int step = 0; step < maxTokens && !m.isTerminated(); step++) {
                long t0 = System.nanoTime();
                m.fillNextTokenMask(mask);
                long t1 = System.nanoTime();
                int n = 0, nc = 0, eos = -1;
                for (int w = 0; w < mask.length; w++) {
                    for (long word = mask[w]; word != 0; word &= word - 1) {
                        int t = (w << 6) + Long.numberOfTrailingZeros(word);
                        if (isEos[t]) eos = t;
                        else {
                            allowed[n++] = t;
                            if (isClosing[t]) closing[nc++] = t;
                        }
                    }
                }
                int pick = eos >= 0 && (n == 0 || random.nextDouble() < 0.5) ? eos
                        : nc > 0 && random.nextDouble() < 0.3 ? closing[random.nextInt(nc)] : allowed[random.nextInt(n)];
                long t2 = System.nanoTime();
                if (!m.acceptToken(pick)) throw new IllegalStateException("grammar rejected an allowed token");
                long t3 = System.nanoTime();
                long ns = (t1 - t0) + (t3 - t2);
                if (t1 - t0 > 200_000) slow++;
                times.add(ns);
            }
            return slow;
        }
    }
}
