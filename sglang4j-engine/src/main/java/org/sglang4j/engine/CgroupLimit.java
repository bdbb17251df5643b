package org.sglang4j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The memory limit of this process's cgroup (a container's or a systemd unit's), with the usage counted against
 * it. The lowest limit on the way from the process's own cgroup up to the mount's root wins, as the kernel
 * enforces every one of them.
 *
 * @param inactiveFileBytes page cache the kernel would reclaim before it hits the limit ({@code inactive_file})
 */
record CgroupLimit(Path path, long limitBytes, long usageBytes, long inactiveFileBytes) {

    /**
     * The limit for the cgroup {@code selfCgroup} (a /proc/self/cgroup) names under {@code mount}; null when no
     * limit is set or the files are not there.
     */
    static CgroupLimit read(Path selfCgroup, Path mount) {
        if (!Files.isReadable(selfCgroup)) return null;
        List<String> lines;
        try {
            lines = Files.readAllLines(selfCgroup);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + selfCgroup, e);
        }
        // A hybrid system lists both; the memory controller is where its files are, so try v1 when v2 has none.
        CgroupLimit v2 = null;
        CgroupLimit v1 = null;
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length != 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2 = lowest(start(mount, f[2]), mount, "memory.max", "memory.current", "inactive_file");
            } else if (List.of(f[1].split(",")).contains("memory")) {
                Path root = mount.resolve("memory");
                v1 = lowest(start(root, f[2]), root, "memory.limit_in_bytes", "memory.usage_in_bytes",
                        "total_inactive_file");
            }
        }
        return v2 != null ? v2 : v1;
    }

    /**
     * The process's own cgroup directory; the mount's root where that path is not visible (a container that sees
     * the host's path to its cgroup but has only its own cgroup mounted).
     */
    private static Path start(Path root, String cgroupPath) {
        Path own = root.resolve(cgroupPath.replaceFirst("^/+", ""));
        return Files.isDirectory(own) ? own : root;
    }

    private static CgroupLimit lowest(Path dir, Path root, String limitFile, String usageFile, String inactiveKey) {
        CgroupLimit best = null;
        for (Path d = dir; d != null && d.startsWith(root); d = d.getParent()) {
            Long limit = number(d.resolve(limitFile));
            if (limit == null || (best != null && limit >= best.limitBytes())) continue;
            Long usage = number(d.resolve(usageFile));
            best = new CgroupLimit(d, limit, usage == null ? 0 : usage, stat(d.resolve("memory.stat"), inactiveKey));
        }
        return best;
    }

    /** A file holding one number; null when missing or {@code max} (cgroup v2's "no limit"). */
    private static Long number(Path file) {
        if (!Files.isReadable(file)) return null;
        String s;
        try {
            s = Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (s.equals("max")) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": expected a number of bytes or 'max', got '" + s + "'");
        }
    }

    /** The {@code key value} entry of a memory.stat file; 0 when absent. */
    private static long stat(Path file, String key) {
        if (!Files.isReadable(file)) return 0;
        try {
            for (String l : Files.readAllLines(file)) {
                String[] kv = l.split(" ");
                if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": bad " + key + " entry");
        }
        return 0;
    }
}
