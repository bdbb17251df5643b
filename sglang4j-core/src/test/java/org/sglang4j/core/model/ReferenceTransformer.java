package org.sglang4j.core.model;

import java.nio.file.Path;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufTensorInfo;
import org.sglang4j.core.tensor.Tensor;

/**
 * A deliberately naive double-precision decoder written from the Hugging Face modelling code
 * ({@code LlamaForCausalLM}, {@code Qwen2ForCausalLM}, {@code Qwen3ForCausalLM}): whole-sequence recompute,
 * {@code rotate_half} rope, {@code repeat_kv}, explicit causal mask. It reads the GGUF metadata and tensors itself,
 * sharing nothing with the production forward pass but {@link Tensor#dequantizeRow}. The only GGUF-specific twist:
 * llama-arch files store Q/K rows permuted so that rope pairs adjacent values, which is what it applies for them.
 *
 * <p>A Q4_0 matrix multiplies activations quantized as ggml's Q8_0 blocks, as llama.cpp's CPU backend and our
 * tiled Q4_0 kernels do: per block of 32, {@code d = amax / 127} rounded to f16, {@code q = rint(x · 127 / amax)};
 * the product is then taken in double with {@code d · q}.
 */
final class ReferenceTransformer {
    private final int dim, hidden, layers, heads, kvHeads, headDim, vocab;
    private final double eps;
    private final boolean neox;
    private final double[] invFreq;
    private final GgufFile f;

    ReferenceTransformer(GgufFile f) {
        this.f = f;
        String arch = f.getString("general.architecture");
        String p = arch + ".";
        dim = f.getInt(p + "embedding_length");
        hidden = f.getInt(p + "feed_forward_length");
        layers = f.getInt(p + "block_count");
        heads = f.getInt(p + "attention.head_count");
        kvHeads = f.getInt(p + "attention.head_count_kv");
        headDim = f.getInt(p + "attention.key_length", dim / heads);
        vocab = Math.toIntExact(f.tensor("token_embd.weight").rows());
        eps = f.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f);
        neox = !arch.equals("llama");
        double theta = f.getFloat(p + "rope.freq_base", 10000f);
        float[] factors = f.tensorOrNull("rope_freqs.weight") == null ? null : vec("rope_freqs.weight");
        invFreq = new double[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = Math.pow(theta, -2.0 * i / headDim) / (factors == null ? 1 : factors[i]);
        }
    }

    /** Logits {@code [position][vocab]} of every position of {@code tokens}. */
    double[][] logits(int[] tokens) {
        int n = tokens.length;
        double[][] x = new double[n][];
        for (int t = 0; t < n; t++) x[t] = row("token_embd.weight", tokens[t]);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            double[][] h = norm(x, vec(b + "attn_norm.weight"));
            double[][] q = linear(h, b + "attn_q");
            double[][] k = linear(h, b + "attn_k");
            double[][] v = linear(h, b + "attn_v");
            if (f.tensorOrNull(b + "attn_q_norm.weight") != null) {
                headNorm(q, vec(b + "attn_q_norm.weight"));
                headNorm(k, vec(b + "attn_k_norm.weight"));
            }
            for (int t = 0; t < n; t++) {
                rope(q[t], t);
                rope(k[t], t);
            }
            double[][] att = new double[n][heads * headDim];
            for (int t = 0; t < n; t++) {
                for (int hd = 0; hd < heads; hd++) {
                    int kvh = hd / (heads / kvHeads); // repeat_kv
                    double[] scores = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        if (j > t) {
                            scores[j] = Double.NEGATIVE_INFINITY; // causal mask
                            continue;
                        }
                        double s = 0;
                        for (int d = 0; d < headDim; d++) s += q[t][hd * headDim + d] * k[j][kvh * headDim + d];
                        scores[j] = s / Math.sqrt(headDim);
                        max = Math.max(max, scores[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) sum += scores[j] = Math.exp(scores[j] - max);
                    for (int j = 0; j <= t; j++) {
                        for (int d = 0; d < headDim; d++) att[t][hd * headDim + d] += scores[j] / sum * v[j][kvh * headDim + d];
                    }
                }
            }
            add(x, linear(att, b + "attn_output"));
            double[][] h2 = norm(x, vec(b + "ffn_norm.weight"));
            double[][] gate = linear(h2, b + "ffn_gate");
            double[][] up = linear(h2, b + "ffn_up");
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < hidden; i++) gate[t][i] = gate[t][i] / (1 + Math.exp(-gate[t][i])) * up[t][i];
            }
            add(x, linear(gate, b + "ffn_down"));
        }
        double[][] out = norm(x, vec("output_norm.weight"));
        String head = f.tensorOrNull("output.weight") != null ? "output" : "token_embd";
        return linear(out, head);
    }

    private void rope(double[] x, int pos) {
        int half = headDim / 2;
        for (int base = 0; base < x.length; base += headDim) {
            double[] in = java.util.Arrays.copyOfRange(x, base, base + headDim);
            for (int i = 0; i < half; i++) {
                double c = Math.cos(pos * invFreq[i]);
                double s = Math.sin(pos * invFreq[i]);
                if (neox) { // q * cos + rotate_half(q) * sin, rotate_half(q) = [-q2, q1]
                    x[base + i] = in[i] * c - in[i + half] * s;
                    x[base + i + half] = in[i + half] * c + in[i] * s;
                } else {
                    x[base + 2 * i] = in[2 * i] * c - in[2 * i + 1] * s;
                    x[base + 2 * i + 1] = in[2 * i + 1] * c + in[2 * i] * s;
                }
            }
        }
    }

    private double[][] norm(double[][] x, float[] w) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) out[t] = norm(x[t], 0, x[t].length, w);
        return out;
    }

    private double[] norm(double[] x, int off, int n, float[] w) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += x[off + i] * x[off + i];
        double r = 1 / Math.sqrt(ss / n + eps);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[off + i] * r * w[i];
        return out;
    }

    private void headNorm(double[][] x, float[] w) {
        for (double[] row : x) {
            for (int base = 0; base < row.length; base += headDim) {
                System.arraycopy(norm(row, base, headDim, w), 0, row, base, headDim);
            }
        }
    }

    /** {@code x · Wᵀ (+ bias)} for the GGUF matrix {@code name.weight} (rows = out features). */
    private double[][] linear(double[][] x, String name) {
        GgufTensorInfo info = f.tensor(name + ".weight");
        int out = Math.toIntExact(info.rows());
        float[] bias = f.tensorOrNull(name + ".bias") == null ? null : vec(name + ".bias");
        double[][] w = new double[out][];
        for (int r = 0; r < out; r++) w[r] = row(name + ".weight", r);
        double[][] y = new double[x.length][out];
        boolean q8 = info.type() == GgmlType.Q4_0;
        for (int t = 0; t < x.length; t++) {
            double[] in = q8 ? q8_0(x[t]) : x[t];
            for (int r = 0; r < out; r++) {
                double s = bias == null ? 0 : bias[r];
                for (int c = 0; c < in.length; c++) s += w[r][c] * in[c];
                y[t][r] = s;
            }
        }
        return y;
    }

    /** {@code x} quantized to ggml Q8_0 blocks and back (see the class comment). */
    static double[] q8_0(double[] x) {
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b += 32) {
            double amax = 0;
            for (int i = b; i < b + 32; i++) amax = Math.max(amax, Math.abs(x[i]));
            float d = Float.float16ToFloat(Float.floatToFloat16((float) (amax / 127)));
            float id = amax == 0 ? 0 : 127f / (float) amax;
            for (int i = b; i < b + 32; i++) out[i] = d * Math.rint((float) x[i] * id);
        }
        return out;
    }

    private double[] row(String name, int r) {
        Tensor t = Tensor.of(f.tensor(name));
        float[] buf = new float[t.cols()];
        t.dequantizeRow(r, buf, 0);
        double[] out = new double[buf.length];
        for (int i = 0; i < buf.length; i++) out[i] = buf[i];
        return out;
    }

    private float[] vec(String name) {
        return Tensor.of(f.tensor(name)).toFloatArray();
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) for (int i = 0; i < x[t].length; i++) x[t][i] += y[t][i];
    }

    int vocab() {
        return vocab;
    }

    static double[][] logitsOf(Path gguf, int[] tokens) throws java.io.IOException {
        try (GgufFile f = GgufFile.open(gguf)) {
            return new ReferenceTransformer(f).logits(tokens);
        }
    }
}
