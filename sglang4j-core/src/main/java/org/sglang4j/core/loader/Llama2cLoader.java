package org.sglang4j.core.loader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.sglang4j.core.model.LayerWeights;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelConfig;
import org.sglang4j.core.model.Weights;
import org.sglang4j.core.tensor.F32Tensor;
import org.sglang4j.core.tensor.Tensor;

/**
 * Loads a llama2.c "legacy" (version 0) float32 checkpoint: a header of 7 little-endian int32
 * {@code dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len} (negative vocab_size = separate
 * classifier at the end), then the weight arrays back to back, each layer-stacked:
 * {@code token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1 (gate), w2 (down), w3 (up), rms_final,
 * two legacy RoPE tables (skipped), [wcls]}. Matrices are {@code [out][in]}; RoPE rotates adjacent pairs.
 * The file is memory-mapped like a GGUF file.
 */
public final class Llama2cLoader {
    private static final int HEADER_BYTES = 28;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Llama2cLoader() {}

    public static Model load(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            ModelConfig c = config(path, file);
            return new Model(c, weights(file, c), arena::close);
        } catch (RuntimeException | IOException e) {
            arena.close();
            throw e;
        }
    }

    static ModelConfig config(Path path, MemorySegment file) {
        if (file.byteSize() < HEADER_BYTES) {
            throw new IllegalArgumentException(path + " is not a llama2.c checkpoint: only " + file.byteSize() + " bytes");
        }
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) h[i] = file.get(I32, i * 4L);
        int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = Math.abs(h[5]), seqLen = h[6];
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0
                || dim % heads != 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException(path + " is not a llama2.c checkpoint: header " + java.util.Arrays.toString(h)
                    + " (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len)");
        }
        ModelConfig c = new ModelConfig("llama", dim, hidden, layers, heads, kvHeads, dim / heads, vocab, seqLen, 1e-5f,
                10000f, null, false, h[5] > 0, dim / heads, false, false);
        long expected = HEADER_BYTES + 4 * floatCount(c);
        if (file.byteSize() != expected) {
            throw new IllegalArgumentException(path + ": a llama2.c checkpoint with header " + java.util.Arrays.toString(h)
                    + " has " + expected + " bytes, the file has " + file.byteSize());
        }
        return c;
    }

    private static long floatCount(ModelConfig c) {
        long dim = c.dim(), kv = c.kvDim(), hidden = c.hiddenDim(), l = c.nLayers(), vocab = c.vocabSize();
        long perLayer = 2 * dim + dim * dim + 2 * kv * dim + dim * dim + 3 * hidden * dim;
        long ropeTables = (long) c.contextLength() * c.headDim();
        return vocab * dim + l * perLayer + dim + ropeTables + (c.tiedEmbeddings() ? 0 : vocab * dim);
    }

    private static Weights weights(MemorySegment file, ModelConfig c) {
        Cursor cur = new Cursor(file);
        int dim = c.dim(), kv = c.kvDim(), hidden = c.hiddenDim(), n = c.nLayers();
        Tensor embedding = cur.matrix(c.vocabSize(), dim);
        float[][] rmsAtt = cur.vectors(n, dim);
        Tensor[] wq = cur.matrices(n, dim, dim);
        Tensor[] wk = cur.matrices(n, kv, dim);
        Tensor[] wv = cur.matrices(n, kv, dim);
        Tensor[] wo = cur.matrices(n, dim, dim);
        float[][] rmsFfn = cur.vectors(n, dim);
        Tensor[] w1 = cur.matrices(n, hidden, dim);
        Tensor[] w2 = cur.matrices(n, dim, hidden);
        Tensor[] w3 = cur.matrices(n, hidden, dim);
        float[] rmsFinal = cur.vectors(1, dim)[0];
        cur.skip((long) c.contextLength() * c.headDim());
        Tensor output = c.tiedEmbeddings() ? embedding : cur.matrix(c.vocabSize(), dim);
        List<LayerWeights> layers = new ArrayList<>(n);
        for (int l = 0; l < n; l++) {
            layers.add(new LayerWeights(rmsAtt[l], wq[l], wk[l], wv[l], null, null, null, null, null, wo[l],
                    rmsFfn[l], w1[l], w3[l], w2[l]));
        }
        return new Weights(embedding, layers, rmsFinal, output, null);
    }

    /** Walks the float arrays after the header. */
    private static final class Cursor {
        final MemorySegment file;
        long pos = HEADER_BYTES;

        Cursor(MemorySegment file) {
            this.file = file;
        }

        Tensor matrix(int rows, int cols) {
            long bytes = 4L * rows * cols;
            Tensor t = new F32Tensor(file.asSlice(pos, bytes), rows, cols);
            pos += bytes;
            return t;
        }

        Tensor[] matrices(int count, int rows, int cols) {
            Tensor[] out = new Tensor[count];
            for (int i = 0; i < count; i++) out[i] = matrix(rows, cols);
            return out;
        }

        float[][] vectors(int count, int len) {
            float[][] out = new float[count][];
            for (int i = 0; i < count; i++) out[i] = matrix(1, len).toFloatArray();
            return out;
        }

        void skip(long floats) {
            pos += 4 * floats;
        }
    }
}
