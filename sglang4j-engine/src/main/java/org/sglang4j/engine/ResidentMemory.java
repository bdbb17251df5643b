package org.sglang4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's resident set (Linux {@code VmRSS}); for the server: mapped weight pages that were read, the Java heap
 * with the KV pool, and the JVM's own memory. What an operator sizes a machine or a pod limit by, so the server
 * reports it next to the weight and KV figures it is made of.
 */
public final class ResidentMemory {
    private ResidentMemory() {}

    /** Resident bytes of this process, or -1 where {@code /proc/self/status} does not exist (not Linux). */
    public static long bytes() {
        return read(Path.of("/proc/self/status"));
    }

    /** Resident bytes of process {@code pid} (e.g. a benchmark's peer server), or -1 when it cannot be read. */
    public static long ofProcess(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"));
    }

    private static long read(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
