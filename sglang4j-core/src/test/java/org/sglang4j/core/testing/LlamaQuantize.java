package org.sglang4j.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** llama.cpp's {@code llama-quantize}: turns an F32/F16 GGUF written by {@link RandomModels} into a quantized one. */
public final class LlamaQuantize {
    private LlamaQuantize() {}

    /**
     * Quantizes {@code in} to {@code out} as {@code type} (a llama-quantize type name: Q8_0, Q4_0, Q4_K_M, …).
     * {@code pure} puts every matrix in that one type instead of llama.cpp's per-tensor mixture.
     */
    public static Path quantize(Path in, Path out, String type, boolean pure) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(SharedData.llamaCpp().resolve("llama-quantize").toString()));
        if (pure) cmd.add("--pure");
        cmd.addAll(List.of(in.toString(), out.toString(), type, "2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("llama-quantize timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException("llama-quantize " + type + " failed (" + p.exitValue() + "):\n"
                    + new String(log, StandardCharsets.UTF_8));
        }
        return out;
    }
}
