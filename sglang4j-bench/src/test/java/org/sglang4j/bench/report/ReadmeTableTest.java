package org.sglang4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeTableTest {

    @TempDir
    Path dir;

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n\nintro\n\n" + ReadmeTable.START + "\nold table\n" + ReadmeTable.END + "\n\n## Layout\nrest\n");
        ReadmeTable.update(readme, "| new |\n");
        assertThat(Files.readString(readme)).isEqualTo("# x\n\nintro\n\n" + ReadmeTable.START + "\n| new |\n"
                + ReadmeTable.END + "\n\n## Layout\nrest\n");
        ReadmeTable.update(readme, "| newer |");
        assertThat(Files.readString(readme)).contains("| newer |").doesNotContain("| new |\n").endsWith("## Layout\nrest\n");
    }

    @Test
    void appendsABenchmarksSectionWhenTheMarkersAreMissing() throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n\nintro\n");
        ReadmeTable.update(readme, "| t |");
        assertThat(Files.readString(readme)).isEqualTo("# x\n\nintro\n\n## Benchmarks\n\n" + ReadmeTable.START + "\n| t |\n"
                + ReadmeTable.END + "\n");
    }

    @Test
    void aSingleMarkerIsAnError() throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# x\n" + ReadmeTable.START + "\n");
        assertThatThrownBy(() -> ReadmeTable.update(readme, "t")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only one");
    }
}
