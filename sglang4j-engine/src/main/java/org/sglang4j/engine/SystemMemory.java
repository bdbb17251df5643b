package org.sglang4j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory this process may use, for sizing the KV pool as SGLang does on CPU ({@code psutil.virtual_memory()}),
 * but container-aware: a cgroup memory limit, when one is set, caps both figures.
 *
 * @param totalBytes     MemTotal, or the cgroup limit when lower
 * @param availableBytes MemAvailable (free memory plus what the kernel can reclaim), or the cgroup limit less the
 *                       cgroup's working set (usage without inactive file pages) when lower
 * @param source         where the figures come from, for messages
 */
record SystemMemory(long totalBytes, long availableBytes, String source) {

    /** This process's memory, from /proc and /sys/fs/cgroup; the JVM's view where there is no /proc/meminfo. */
    static SystemMemory current() {
        Path meminfo = Path.of("/proc/meminfo");
        if (!Files.isReadable(meminfo)) return fromJvm();
        return read(meminfo, Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"));
    }

    /** The JVM's (container-aware) physical memory size and free memory: less precise, free excludes caches. */
    static SystemMemory fromJvm() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return new SystemMemory(os.getTotalMemorySize(), os.getFreeMemorySize(), "JVM OperatingSystemMXBean");
    }

    /**
     * Reads {@code meminfo} (a /proc/meminfo) and the memory limit of the cgroup named in {@code selfCgroup} (a
     * /proc/self/cgroup) under {@code cgroupMount}: cgroup v2 {@code memory.max} / {@code memory.current} /
     * {@code memory.stat}, else v1 {@code memory/memory.limit_in_bytes} and friends. Missing cgroup files mean no
     * limit.
     */
    static SystemMemory read(Path meminfo, Path selfCgroup, Path cgroupMount) {
        List<String> lines;
        try {
            lines = Files.readAllLines(meminfo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meminfo, e);
        }
        long total = field(lines, "MemTotal:", meminfo) * 1024;
        long available = lines.stream().anyMatch(l -> l.startsWith("MemAvailable:"))
                ? field(lines, "MemAvailable:", meminfo) * 1024
                : field(lines, "MemFree:", meminfo) * 1024; // kernels before 3.14
        CgroupLimit limit = CgroupLimit.read(selfCgroup, cgroupMount);
        if (limit != null && limit.limitBytes() < total) {
            long workingSet = Math.max(0, limit.usageBytes() - limit.inactiveFileBytes());
            return new SystemMemory(limit.limitBytes(), Math.min(available, limit.limitBytes() - workingSet),
                    "cgroup " + limit.path());
        }
        return new SystemMemory(total, available, meminfo.toString());
    }

    /** The value of a {@code Name:   123 kB} line. */
    private static long field(List<String> lines, String name, Path file) {
        for (String l : lines) {
            if (l.startsWith(name)) {
                String digits = l.substring(name.length()).replace("kB", "").strip();
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ": bad " + name + " line '" + l + "'");
                }
            }
        }
        throw new IllegalArgumentException(file + " has no " + name + " line");
    }
}
