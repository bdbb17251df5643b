package org.sglang4j.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufTensorInfo;

/**
 * Our block decoders against llama.cpp on files it wrote: an F32 model is quantized with {@code llama-quantize
 * --pure} to each type, and converted back to F32 by the same tool (llama.cpp's own dequantization). Our scalar
 * and vector decoders must reproduce llama.cpp's floats (up to fused-multiply-add rounding), and those floats
 * must be within the type's quantization error of the original weights — a wrong block layout misses both by
 * orders of magnitude.
 */
class DequantizeMatchesLlamaCppTest {
    @TempDir
    static Path dir;
    static Path f32;
    static final Map<String, float[]> original = new HashMap<>();

    @BeforeAll
    static void writeModel() throws IOException {
        f32 = dir.resolve("model-f32.gguf");
        LlamaQuantize.writeF32Model(f32, original, 42);
    }

    /**
     * {@code ftype} is llama-quantize's type argument, {@code type} the ggml type it gives every matrix with
     * {@code --pure}; {@code levels} is the number of quantization steps across a block's range ({@code 0}: a
     * float format, checked by relative error instead).
     */
    @ParameterizedTest
    @CsvSource({
        "Q8_0, Q8_0, 254", "Q4_0, Q4_0, 16", "Q4_1, Q4_1, 15", "Q5_0, Q5_0, 32", "Q4_K_M, Q4_K, 15",
        "Q5_K_M, Q5_K, 31", "Q6_K, Q6_K, 63", "F16, F16, 0", "BF16, BF16, 0"
    })
    void decodesEveryMatrixLikeLlamaCpp(String ftype, GgmlType type, int levels) throws Exception {
        Path quant = dir.resolve("model-" + ftype + ".gguf");
        Path back = dir.resolve("model-" + ftype + "-back-f32.gguf");
        LlamaQuantize.run(f32, quant, ftype, "--pure");
        LlamaQuantize.run(quant, back, "F32", "--allow-requantize", "--pure");
        try (GgufFile q = GgufFile.open(quant); GgufFile ref = GgufFile.open(back)) {
            for (String name : LlamaQuantize.matrixNames()) {
                GgufTensorInfo info = q.tensor(name);
                assertThat(info.type()).as(name).isEqualTo(type);
                Tensor t = Tensor.of(info);
                assertThat(t.type()).isEqualTo(type);
                assertThat(t.rows()).isEqualTo((int) LlamaQuantize.shape(name)[1]);
                assertThat(t.cols()).isEqualTo((int) LlamaQuantize.shape(name)[0]);
                float[] llama = Tensor.of(ref.tensor(name)).toFloatArray();
                float[] scalar = t.toFloatArray();
                float[] vector = new float[scalar.length];
                t.dequantizeRows(0, t.rows(), vector, 0);
                assertMatches(name + " scalar", scalar, llama, t.cols());
                assertMatches(name + " vector", vector, llama, t.cols());
                assertWithinQuantizationError(name, llama, original.get(name), type, levels);
                assertDotMatches(name, t, llama);
            }
        }
    }

    /** Equal up to float rounding of the scale products: 2e-6 of the row's largest magnitude. */
    private static void assertMatches(String what, float[] ours, float[] llama, int cols) {
        for (int r = 0; r < ours.length / cols; r++) {
            float amax = 0;
            for (int c = 0; c < cols; c++) amax = Math.max(amax, Math.abs(llama[r * cols + c]));
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                if (Math.abs(ours[i] - llama[i]) > 2e-6f * amax) {
                    throw new AssertionError(what + ": row " + r + " col " + c + ": ours " + ours[i] + ", llama.cpp "
                            + llama[i] + " (row max " + amax + ")");
                }
            }
        }
    }

    /**
     * Each block's error stays below {@code 1.2 · range / levels} (range = max − min for asymmetric formats,
     * 2·amax for symmetric ones, which {@code levels} already accounts for); float formats within 2^-8 (bf16) or
     * 2^-11 (f16) relative.
     */
    private static void assertWithinQuantizationError(String name, float[] dequant, float[] orig, GgmlType type,
                                                      int levels) {
        if (levels == 0) {
            double rel = type == GgmlType.BF16 ? 0x1p-8 : 0x1p-11;
            for (int i = 0; i < orig.length; i++) {
                assertThat((double) Math.abs(dequant[i] - orig[i])).as("%s[%d]", name, i)
                        .isLessThanOrEqualTo(rel * Math.abs(orig[i]) + 1e-7);
            }
            return;
        }
        int block = type.blockSize;
        for (int b = 0; b < orig.length / block; b++) {
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE, amax = 0;
            for (int i = b * block; i < (b + 1) * block; i++) {
                min = Math.min(min, orig[i]);
                max = Math.max(max, orig[i]);
                amax = Math.max(amax, Math.abs(orig[i]));
            }
            boolean symmetric = type != GgmlType.Q4_1 && type != GgmlType.Q4_K && type != GgmlType.Q5_K;
            double range = symmetric ? 2 * amax : max - min;
            double bound = 1.2 * range / levels;
            for (int i = b * block; i < (b + 1) * block; i++) {
                if (Math.abs(dequant[i] - orig[i]) > bound) {
                    throw new AssertionError(name + " " + type + " block " + b + " index " + i + ": dequantized "
                            + dequant[i] + ", original " + orig[i] + ", bound " + bound);
                }
            }
        }
    }

    /** The vector single-token dot against a double-precision sum over llama.cpp's floats. */
    private static void assertDotMatches(String name, Tensor t, float[] llama) {
        Random rnd = new Random(7);
        int cols = t.cols();
        float[] x = new float[cols + 5];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] out = new float[t.rows() + 3];
        t.dotRows(0, t.rows(), x, 5, out, 3);
        for (int r = 0; r < t.rows(); r++) {
            double sum = 0, abs = 0;
            for (int c = 0; c < cols; c++) {
                sum += (double) llama[r * cols + c] * x[5 + c];
                abs += Math.abs((double) llama[r * cols + c] * x[5 + c]);
            }
            assertThat((double) out[3 + r]).as("%s dot row %d", name, r).isCloseTo(sum,
                    org.assertj.core.data.Offset.offset(1e-5 * abs + 1e-30));
        }
    }

    @Test
    void namesTheTypeOfAnUnsupportedTensor() throws Exception {
        Path quant = dir.resolve("model-Q5_1.gguf");
        LlamaQuantize.run(f32, quant, "Q5_1", "--pure");
        try (GgufFile q = GgufFile.open(quant)) {
            GgufTensorInfo info = q.tensor("blk.0.attn_q.weight");
            assertThat(info.type()).isEqualTo(GgmlType.Q5_1);
            assertThatThrownBy(() -> Tensor.of(info)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Q5_1");
        }
    }
}
