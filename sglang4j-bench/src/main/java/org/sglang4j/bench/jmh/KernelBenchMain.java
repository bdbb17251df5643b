package org.sglang4j.bench.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.sglang4j.core.gguf.GgmlType;

/**
 * Runs the kernel benchmarks and prints weight GB/s and tokens/s next to JMH's times:
 * {@code KernelBenchMain [bandwidth] [pool] [matmul] [decode] [--quick] [--types=Q8_0,F16] [--shapes=896x896]}
 * (no section: all). Run from the bench module: {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/lib/* org.sglang4j.bench.jmh.KernelBenchMain}.
 */
public final class KernelBenchMain {
    private KernelBenchMain() {}

    public static void main(String[] args) throws RunnerException {
        List<String> sections = new ArrayList<>();
        boolean quick = false;
        String[] types = {"Q8_0", "Q4_0", "Q4_K", "F16"};
        String[] shapes = {"896x896", "128x896", "4864x896", "896x4864", "151936x896"};
        String[] decodeTypes = {"Q8_0", "Q4_0"};
        for (String a : args) {
            if (a.equals("--quick")) quick = true;
            else if (a.startsWith("--types=")) types = decodeTypes = a.substring(8).split(",");
            else if (a.startsWith("--shapes=")) shapes = a.substring(9).split(",");
            else sections.add(a);
        }
        if (sections.isEmpty()) sections = List.of("bandwidth", "pool", "matmul", "decode");
        List<String> report = new ArrayList<>();
        if (sections.contains("bandwidth")) {
            for (RunResult r : run(MemoryBandwidthBench.class, quick)) {
                double ms = r.getPrimaryResult().getScore();
                report.add(String.format("memory read, 2 threads: %.1f GB/s (%.2f ms per GiB)",
                        MemoryBandwidthBench.BYTES / (ms * 1e-3) / 1e9, ms));
            }
        }
        if (sections.contains("pool")) {
            for (RunResult r : run(ComputePoolBench.class, quick)) {
                report.add(String.format("parallelFor dispatch, 2 threads: %.2f µs", r.getPrimaryResult().getScore() / 1e3));
            }
        }
        if (sections.contains("matmul")) {
            for (String shape : shapes) {
                String[] rc = shape.split("x");
                long elements = Long.parseLong(rc[0]) * Long.parseLong(rc[1]);
                for (String type : types) {
                    GgmlType t = GgmlType.valueOf(type);
                    if (Long.parseLong(rc[1]) % t.blockSize != 0) {
                        report.add(String.format("matmul %-11s %-5s: n/a (rows of %s values are not whole %d-value blocks)",
                                shape, type, rc[1], t.blockSize));
                        continue;
                    }
                    double[] tokPerS = new double[2];
                    for (RunResult r : run(MatmulBench.class, quick, "shape", shape, "type", type)) {
                        int n = Integer.parseInt(r.getParams().getParam("nTokens"));
                        double us = r.getPrimaryResult().getScore();
                        double gbs = t.byteSize(elements) / (us * 1e-6) / 1e9;
                        tokPerS[n == 1 ? 0 : 1] = n / (us * 1e-6);
                        report.add(String.format("matmul %-11s %-5s nTokens=%d: %9.1f µs  %6.1f GB/s  %7.0f tok/s  %6.1f GFLOP/s",
                                shape, type, n, us, gbs, n / (us * 1e-6), 2.0 * elements * n / (us * 1e-6) / 1e9));
                    }
                    report.add(String.format("matmul %-11s %-5s nTokens=8 vs 1: %.2fx tokens/s", shape, type,
                            tokPerS[1] / tokPerS[0]));
                }
            }
        }
        if (sections.contains("decode")) {
            for (String type : decodeTypes) {
                GgmlType t = GgmlType.valueOf(type);
                for (RunResult r : run(DecodeStepBench.class, quick, "type", type)) {
                    int n = Integer.parseInt(r.getParams().getParam("nTokens"));
                    double ms = r.getPrimaryResult().getScore();
                    report.add(String.format("decode step (all matmuls of Qwen2.5-0.5B) %-5s nTokens=%d: %7.2f ms  %6.1f GB/s  %6.1f tok/s",
                            type, n, ms, DecodeStepBench.stepBytes(t) / (ms * 1e-3) / 1e9, n / (ms * 1e-3)));
                }
            }
        }
        System.out.println();
        System.out.println("=== sglang4j kernel benchmarks (" + Runtime.getRuntime().availableProcessors() + " CPUs) ===");
        report.forEach(System.out::println);
    }

    private static Collection<RunResult> run(Class<?> bench, boolean quick, String... params) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(bench.getName() + "\\.")
                .forks(1)
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Xmx2g")
                .warmupIterations(quick ? 2 : 4)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 3 : 6)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000));
        for (int i = 0; i < params.length; i += 2) o.param(params[i], params[i + 1]);
        return new Runner(o.build()).run();
    }
}
