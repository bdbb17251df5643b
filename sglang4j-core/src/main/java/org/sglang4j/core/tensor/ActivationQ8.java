package org.sglang4j.core.tensor;

/**
 * A token's activations quantized for integer dot products with 4-bit weights, as llama.cpp quantizes them for
 * Q4_0 (its Q8_0 activation blocks): per block of 32, {@code d = amax / 127} (kept at f16 precision, as ggml
 * stores it) and {@code q = rint(x · 127 / amax)}, so {@code |q| ≤ 127}.
 *
 * <p>The values go out in pairs, one int per pair, in the order {@link Q4_0TileKernels} consumes
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
     * Quantizes as {@link #quantize} does, for the native Q8_0 kernel ({@link Q8_0TiledTensor}): the values in
     * order, four signed bytes per int, into {@code act[aOff …]} ({@code cols / 4}), per block {@code −128 · Σ q}
     * into {@code corr[cOff …]} (the kernel multiplies weights stored as {@code q_w + 128}) and the scales into
     * {@code scales[sOff …]} ({@code cols / 32} each).
     */
    public static void quantizeBytes(float[] x, int xOff, int cols, int[] act, int aOff, int[] corr, int cOff,
                                     float[] scales, int sOff) {
        for (int b = 0; b < cols / 32; b++) {
            int base = xOff + 32 * b;
            float amax = amax(x, base);
            float id = amax != 0f ? 127f / amax : 0f;
            scales[sOff + b] = scale(amax);
            int sum = 0;
            for (int c = 0; c < 8; c++) {
                int word = 0;
                for (int j = 0; j < 4; j++) {
                    int q = (int) Math.rint(x[base + 4 * c + j] * id);
                    sum += q;
                    word |= (q & 0xFF) << (8 * j);
                }
                act[aOff + 8 * b + c] = word;
            }
            corr[cOff + b] = -128 * sum;
        }
    }

    /**
     * A token's quantized values ({@code cols / 2} pairs from {@link #quantize} at {@code pairs[pOff …]}) in the
     * layout of the native VNNI kernel ({@link VnniKernels}): per block of 32 and chunk {@code c} of 8, two ints of
     * four signed bytes, {@code q[8c + 0, 2, 4, 6]} and {@code q[8c + 1, 3, 5, 7]} (the bytes a weight int's low and
     * high nibbles line up with) into {@code act[aOff …]} ({@code cols / 4}), and per block
     * {@code −8 · Σ q} into {@code corr[cOff …]} ({@code cols / 32}): the kernel multiplies the unsigned weight
     * nibbles {@code q_w} and subtracts 8·Σq to get {@code Σ (q_w − 8) · q}.
     */
    public static void vnniBytes(int[] pairs, int pOff, int cols, int[] act, int aOff, int[] corr, int cOff) {
        for (int b = 0; b < cols / 32; b++) {
            int sum = 0;
            for (int c = 0; c < 4; c++) {
                int p = pOff + 16 * b + 4 * c;
                int p0 = pairs[p], p1 = pairs[p + 1], p2 = pairs[p + 2], p3 = pairs[p + 3];
                // Pair i holds q[8c + i] in its low and q[8c + 4 + i] in its high 16 bits.
                act[aOff + 8 * b + 2 * c] = bytes(p0, p2);
                act[aOff + 8 * b + 2 * c + 1] = bytes(p1, p3);
                sum += (short) p0 + (p0 >> 16) + (short) p1 + (p1 >> 16) + (short) p2 + (p2 >> 16) + (short) p3
                        + (p3 >> 16);
            }
            corr[cOff + b] = -8 * sum;
        }
    }

    /** Bytes {@code lo(x), lo(y), hi(x), hi(y)} of two pairs: values j, j + 2, j + 4, j + 6 of a chunk. */
    private static int bytes(int x, int y) {
        return (x & 0xFF) | (y & 0xFF) << 8 | (x >>> 16 & 0xFF) << 16 | (y >>> 16 & 0xFF) << 24;
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
