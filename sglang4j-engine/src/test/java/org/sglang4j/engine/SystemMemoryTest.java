package org.sglang4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory figures from hand-written /proc/meminfo, /proc/self/cgroup and cgroup v1/v2 trees. */
class SystemMemoryTest {
    private static final long KIB = 1024;
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private Path meminfo(String... lines) throws IOException {
        return Files.writeString(dir.resolve("meminfo"), String.join("\n", lines) + "\n");
    }

    private Path selfCgroup(String... lines) throws IOException {
        return Files.writeString(dir.resolve("cgroup"), String.join("\n", lines) + "\n");
    }

    private Path cgroupFile(String path, String content) throws IOException {
        Path f = dir.resolve("sys").resolve(path);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    private Path mount() throws IOException {
        return Files.createDirectories(dir.resolve("sys"));
    }

    private static final String[] MEMINFO = {"MemTotal:       16384000 kB", "MemFree:         1000000 kB",
            "MemAvailable:   12000000 kB", "Buffers:          123456 kB"};

    @Test
    void withoutACgroupLimitTheFiguresAreMemTotalAndMemAvailable() throws IOException {
        SystemMemory m = SystemMemory.read(meminfo(MEMINFO), selfCgroup("0::/"), mount());
        assertThat(m.totalBytes()).isEqualTo(16384000 * KIB);
        assertThat(m.availableBytes()).isEqualTo(12000000 * KIB);
    }

    @Test
    void kernelsWithoutMemAvailableFallBackToMemFree() throws IOException {
        SystemMemory m = SystemMemory.read(meminfo("MemTotal: 2048 kB", "MemFree: 1024 kB"),
                dir.resolve("no-cgroup-file"), mount());
        assertThat(m.totalBytes()).isEqualTo(2048 * KIB);
        assertThat(m.availableBytes()).isEqualTo(1024 * KIB);
    }

    @Test
    void aCgroupV2LimitCapsTotalAndLeavesTheLimitLessTheWorkingSetAvailable() throws IOException {
        cgroupFile("memory.max", "max\n");
        cgroupFile("pod/memory.max", Long.toString(4 * GIB) + "\n");
        cgroupFile("pod/memory.current", Long.toString(3 * GIB) + "\n");
        cgroupFile("pod/memory.stat", "anon 1234\ninactive_file " + GIB + "\nactive_file 99\n");
        cgroupFile("pod/app/memory.max", "max\n"); // no limit of its own: the parent's applies
        SystemMemory m = SystemMemory.read(meminfo(MEMINFO), selfCgroup("0::/pod/app"), mount());
        assertThat(m.totalBytes()).isEqualTo(4 * GIB);
        assertThat(m.availableBytes()).isEqualTo(4 * GIB - (3 * GIB - GIB));
        assertThat(m.source()).contains("pod");
    }

    @Test
    void theLowestLimitOnThePathUpWinsAndMemAvailableStillCapsAvailable() throws IOException {
        cgroupFile("a/memory.max", Long.toString(8 * GIB));
        cgroupFile("a/memory.current", Long.toString(GIB));
        cgroupFile("a/b/memory.max", Long.toString(10 * GIB));
        cgroupFile("a/b/memory.current", Long.toString(GIB));
        SystemMemory m = SystemMemory.read(meminfo("MemTotal: 16384000 kB", "MemAvailable: 2000000 kB"),
                selfCgroup("0::/a/b"), mount());
        assertThat(m.totalBytes()).isEqualTo(8 * GIB);
        assertThat(m.availableBytes()).isEqualTo(2000000 * KIB); // the machine has less free than the cgroup allows
    }

    @Test
    void aHybridSystemReadsTheV1MemoryControllerWhenV2HasNoMemoryFiles() throws IOException {
        cgroupFile("memory/box/memory.limit_in_bytes", Long.toString(2 * GIB));
        cgroupFile("memory/box/memory.usage_in_bytes", Long.toString(GIB));
        cgroupFile("memory/box/memory.stat", "cache 5\ntotal_inactive_file " + (GIB / 2) + "\n");
        SystemMemory m = SystemMemory.read(meminfo(MEMINFO),
                selfCgroup("9:name=systemd:/", "4:memory:/box", "1:cpu:/", "0::/"), mount());
        assertThat(m.totalBytes()).isEqualTo(2 * GIB);
        assertThat(m.availableBytes()).isEqualTo(2 * GIB - GIB / 2);
    }

    @Test
    void anUnlimitedV1CgroupLeavesTheMachineFigures() throws IOException {
        cgroupFile("memory/memory.limit_in_bytes", "9223372036854771712");
        SystemMemory m = SystemMemory.read(meminfo(MEMINFO), selfCgroup("4:cpu,memory:/elsewhere"), mount());
        assertThat(m.totalBytes()).isEqualTo(16384000 * KIB);
        assertThat(m.availableBytes()).isEqualTo(12000000 * KIB);
    }

    @Test
    void badFilesAreErrorsNamingTheFileAndValue() throws IOException {
        Path file = cgroupFile("memory.max", "lots\n");
        assertThatThrownBy(() -> SystemMemory.read(meminfo(MEMINFO), selfCgroup("0::/"), mount()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("'lots'");
        Files.delete(file);
        assertThatThrownBy(() -> SystemMemory.read(meminfo("MemFree: 12 kB"), selfCgroup("0::/"), mount()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no MemTotal:");
        assertThatThrownBy(() -> SystemMemory.read(meminfo("MemTotal: many kB"), selfCgroup("0::/"), mount()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MemTotal: many kB");
    }
}
