package org.sglang4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON the benchmark commands write with {@code --output-file} and {@code bench report} reads back. */
public final class BenchJson {
    public static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private BenchJson() {}

    public static void write(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        MAPPER.writeValue(file.toFile(), value);
    }

    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("benchmark result file not found: " + file);
        return MAPPER.readValue(file.toFile(), type);
    }

    /** The command line as the user would type it, for the record. */
    public static String commandLine(java.util.List<String> args) {
        return "bin/sglang4j bench " + String.join(" ", args);
    }
}
