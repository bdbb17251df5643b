package org.sglang4j.core.kernel;

/**
 * Rotary position embedding. Each rotated pair {@code (a, b)} of a head becomes
 * {@code (a·cos θ − b·sin θ, a·sin θ + b·cos θ)} with {@code θ = pos · invFreq[i]}. Two layouts exist, and which
 * one applies depends on how the checkpoint stores Q/K weights:
 * <ul>
 *   <li>normal (GPT-J / llama2.c / GGUF "llama"): pair {@code i} is {@code (x[2i], x[2i+1])};</li>
 *   <li>NeoX (HF / GGUF "qwen2", "qwen3"): pair {@code i} is {@code (x[i], x[i + ropeDim/2])}.</li>
 * </ul>
 * Only the first {@code ropeDim} values of a head rotate (partial rotary); the rest pass through.
 */
public final class Rope {
    private Rope() {}

    /**
     * Writes the cos/sin of {@code pos · invFreq[i]} for every pair into {@code cos/sin[off, off + invFreq.length)}.
     * Computed once per token per step and shared by every layer.
     */
    public static void angles(float[] invFreq, int pos, float[] cos, float[] sin, int off) {
        for (int i = 0; i < invFreq.length; i++) {
            float theta = pos * invFreq[i];
            cos[off + i] = (float) Math.cos(theta);
            sin[off + i] = (float) Math.sin(theta);
        }
    }

    /**
     * Rotates {@code nHeads} consecutive heads of {@code headDim} values starting at {@code x[off]}, using the
     * {@code ropeDim / 2} angles at {@code cos/sin[csOff]}.
     */
    public static void rotate(float[] x, int off, int nHeads, int headDim, int ropeDim, boolean neox,
                              float[] cos, float[] sin, int csOff) {
        int half = ropeDim / 2;
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            if (neox) {
                for (int i = 0; i < half; i++) {
                    float c = cos[csOff + i];
                    float s = sin[csOff + i];
                    float a = x[base + i];
                    float b = x[base + i + half];
                    x[base + i] = a * c - b * s;
                    x[base + i + half] = a * s + b * c;
                }
            } else {
                for (int i = 0; i < half; i++) {
                    float c = cos[csOff + i];
                    float s = sin[csOff + i];
                    float a = x[base + 2 * i];
                    float b = x[base + 2 * i + 1];
                    x[base + 2 * i] = a * c - b * s;
                    x[base + 2 * i + 1] = a * s + b * c;
                }
            }
        }
    }
}
