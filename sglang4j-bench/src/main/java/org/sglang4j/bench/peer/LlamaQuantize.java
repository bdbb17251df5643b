package org.sglang4j.bench.peer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code llama-quantize in.gguf out.gguf TYPE THREADS}. With default settings llama.cpp keeps its own per-tensor
 * choices (e.g. for Q4_0 the tied embedding becomes Q6_K, or Q8_0 when its rows are not a multiple of 256), as in
 * the GGUF files published for real models.
 */
public final class LlamaQuantize {
    private LlamaQuantize() {}

    public static void quantize(LlamaCpp llama, Path in, Path out, String type, int threads)
            throws IOException, InterruptedException {
        String t = type.toUpperCase(java.util.Locale.ROOT);
        if (!List.of("Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q4_K_M", "Q5_K_M", "Q6_K").contains(t)) {
            throw new IllegalArgumentException("unsupported quantization " + type + " (use q8_0, q4_0, q4_1, q5_0, "
                    + "q4_k_m, q5_k_m or q6_k)");
        }
        ProcessOutput.run(List.of(llama.tool("llama-quantize").toString(), in.toString(), out.toString(), t,
                Integer.toString(threads)), 3600);
    }
}
