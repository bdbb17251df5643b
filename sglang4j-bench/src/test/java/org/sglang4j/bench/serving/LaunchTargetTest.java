package org.sglang4j.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Our launched server gets bin/sglang4j's JVM flags, and a collector named in the extra options replaces ours. */
class LaunchTargetTest {
    private static List<String> command(List<String> javaOpts) {
        return LaunchTarget.SGLANG4J.command(Path.of("m.gguf"), 1234, 2, 4, 512, "f16", null, javaOpts);
    }

    @Test
    void theServerGetsTheLaunchersMemoryFlagsBeforeTheExtraOptions() throws Exception {
        List<String> cmd = command(List.of("-Xmx3g"));
        assertThat(cmd).contains("-XX:+UseSerialGC", "-Xmn8m", "-XX:TrimNativeHeapInterval=5000");
        assertThat(cmd.indexOf("-Xmx2g")).isLessThan(cmd.indexOf("-Xmx3g")); // the later one wins
        // The same flags as bin/sglang4j's server line, so benchmarks measure the server users start.
        String launcher = Files.readString(Path.of("..", "bin", "sglang4j"));
        String line = launcher.lines().filter(l -> l.strip().startsWith("jvm+=(-Xms")).findFirst().orElseThrow();
        List<String> flags = Arrays.asList(line.strip().replace("jvm+=(", "").replace(")", "").split(" "));
        assertThat(LaunchTarget.serverJvmFlags(List.of())).containsExactlyElementsOf(
                concat(List.of("-XX:+UseSerialGC"), flags));
        assertThat(launcher).contains("gc=(-XX:+UseSerialGC)");
    }

    @Test
    void aCollectorInTheExtraOptionsReplacesOurs() {
        List<String> cmd = command(List.of("-XX:+UseParallelGC"));
        assertThat(cmd).contains("-XX:+UseParallelGC", "-Xmx2g").doesNotContain("-XX:+UseSerialGC");
        assertThat(command(List.of("-XX:+UseCompressedOops"))).contains("-XX:+UseSerialGC");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
