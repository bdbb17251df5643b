package org.sglang4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's load before a benchmark: other runnable work skews a comparison, and unevenly — llama.cpp's
 * spin-waiting worker threads lose far more to preemption than ours — so the benchmarks say when it is high.
 */
public final class MachineLoad {
    private MachineLoad() {}

    /** The 1-minute load average from /proc/loadavg, NaN where there is none. */
    public static double loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            return Double.parseDouble(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** More runnable work than a quarter of the cores besides the benchmark. */
    public static boolean busy(double loadAverage, int cores) {
        return loadAverage > 0.25 * cores;
    }

    /** Prints a warning on stderr when the machine is busy now. */
    public static void warnIfBusy() {
        double load = loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        if (busy(load, cores)) {
            System.err.printf(Locale.ROOT, "WARNING: load average %.1f on %d cores: other work is running, the "
                    + "figures and especially the ratios against llama.cpp are unreliable%n", load, cores);
        }
    }
}
