package org.sglang4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sglang4j.core.tensor.VnniKernels;

/**
 * The machine a report was measured on, read from /proc: CPU model, the SIMD extensions that decide which kernels
 * run (Vector API width, llama.cpp's backend choice), logical cores and memory, plus the JVM and which of our
 * kernels ran (the native VNNI ones or Java only, {@link VnniKernels#describe}).
 */
public record MachineInfo(String cpuModel, int logicalCores, String simdFlags, double memoryGiB, String os,
                          String jvm, String kernels) {

    private static final List<String> INTERESTING = List.of("avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
            "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_int8", "amx_bf16", "sve", "asimd");

    public static MachineInfo detect() {
        String model = "unknown CPU";
        Set<String> flags = Set.of();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name") && model.equals("unknown CPU")) model = value;
                if ((key.equals("flags") || key.equals("Features")) && flags.isEmpty()) flags = Set.of(value.split("\\s+"));
            }
        } catch (IOException e) {
            // not Linux: leave the defaults
        }
        List<String> simd = new ArrayList<>();
        for (String f : INTERESTING) if (flags.contains(f)) simd.add(f);
        double mem = Double.NaN;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) mem = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return new MachineInfo(model, Runtime.getRuntime().availableProcessors(), String.join(" ", simd), mem,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                VnniKernels.describe());
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s, %d logical cores, %.1f GiB memory; SIMD: %s; %s; %s; sglang4j kernels: %s",
                cpuModel, logicalCores, memoryGiB, simdFlags.isEmpty() ? "none detected" : simdFlags, os, jvm, kernels);
    }
}
