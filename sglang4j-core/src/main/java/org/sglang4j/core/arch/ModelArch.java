package org.sglang4j.core.arch;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The supported decoder families and what distinguishes them in the forward pass. All share the Llama block
 * (RMSNorm, rotary attention with GQA, SiLU-gated FFN); they differ in how RoPE pairs values (which follows how
 * the checkpoint stores Q/K rows), biases and Q/K normalisation.
 *
 * @param ropeNeox whether GGUF files of this family rotate NeoX-style pairs (i, i + d/2); llama GGUF files store
 *                 Q/K rows permuted for adjacent pairs instead
 * @param qkvBias  Q/K/V projections carry biases (required when loading)
 * @param qkNorm   per-head RMSNorm of Q and K before RoPE (required when loading)
 */
public enum ModelArch {
    /** Llama 1/2/3 and Mistral (GGUF writes Mistral as "llama"). */
    LLAMA("llama", false, false, false),
    /** Qwen2 and Qwen2.5. */
    QWEN2("qwen2", true, true, false),
    QWEN3("qwen3", true, false, true);

    public final String ggufName;
    public final boolean ropeNeox;
    public final boolean qkvBias;
    public final boolean qkNorm;

    ModelArch(String ggufName, boolean ropeNeox, boolean qkvBias, boolean qkNorm) {
        this.ggufName = ggufName;
        this.ropeNeox = ropeNeox;
        this.qkvBias = qkvBias;
        this.qkNorm = qkNorm;
    }

    /** By GGUF {@code general.architecture} or HF {@code model_type} ("mistral" is a llama). */
    public static ModelArch of(String name) {
        return switch (name) {
            case "llama", "mistral" -> LLAMA;
            case "qwen2" -> QWEN2;
            case "qwen3" -> QWEN3;
            default -> throw new UnsupportedOperationException("unsupported model architecture '" + name
                    + "'; supported: " + Arrays.stream(values()).map(a -> a.ggufName).collect(Collectors.joining(", "))
                    + " (Mistral as llama)");
        };
    }
}
