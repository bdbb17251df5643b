package org.sglang4j.core.tensor;

/**
 * A token's activations quantized for integer dot products with 4-bit weights, as llama.cpp quantizes them for
 * Q4_0 (its Q8_0 activation blocks): per block of 32, {@code d = amax / 127} (kept at f16 precision, as ggml
 * stores it) and {@code q = rint(x · 127 / amax)}, so {@code |q| ≤ 127}.
 *
 * <p>The values go out in pairs, one int per pair, in the order {@link Q4_0TileKernels#oneToken} consumes
 * them: entry {@code 16·b + 4·c + i} holds {@code q[32b + 8c + i]} in its low and {@code q[32b + 8c + 4 + i]}
 * in its high 16 bits, the two values a 16-bit lane pair of the tiled weights multiplies at step {@code i}.
 */
public final class ActivationQ8 {
    private ActivationQ8() {}

    /** Quantizes {@code x[xOff, xOff + cols)} into {@code pairs[pOff …]} ({@code cols / 2}) and {@code scales[sOff …]} ({@code cols / 32}). */
    public static void quantize(float[] x, int xOff, int cols, int[] pairs, int pOff, float[] scales, int sOff) {
        for (int b = 0; b < cols / 32; b++) {
            int base = xOff + 32 * b;
            float amax = amax(x, base);
            float id = amax != 0f ? 127f / amax : 0f;
            scales[sOff + b] = scale(amax);
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < 4; i++) {
                    int lo = (int) Math.rint(x[base + 8 * c + i] * id);
                    int hi = (int) Math.rint(x[base + 8 * c + 4 + i] * id);
                    pairs[pOff + 16 * b + 4 * c + i] = (lo & 0xFFFF) | (hi << 16);
                }
            }
        }
    }

    /**
     * {@code x[xOff, xOff + cols)} quantized as {@link #quantize} does and turned back into floats ({@code d · q})
     * in {@code dst[dOff …]}: the values the integer kernels multiply, for the float prefill path.
     */
    public static void roundTrip(float[] x, int xOff, int cols, float[] dst, int dOff) {
        for (int b = 0; b < cols / 32; b++) {
            int base = xOff + 32 * b;
            float amax = amax(x, base);
            float id = amax != 0f ? 127f / amax : 0f;
            float d = scale(amax);
            for (int i = 0; i < 32; i++) dst[dOff + 32 * b + i] = d * (float) Math.rint(x[base + i] * id);
        }
    }

    /** Largest magnitude of the block of 32 at {@code base}. */
    private static float amax(float[] x, int base) {
        float amax = 0f;
        for (int i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[base + i]));
        return amax;
    }

    /** The block's scale {@code amax / 127} at the f16 precision ggml stores it in. */
    private static float scale(float amax) {
        return Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
    }
}
