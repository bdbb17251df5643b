package org.sglang4j.core.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.gguf.GgufTensorInfo;
import org.sglang4j.core.gguf.GgufWriter;
import org.sglang4j.core.model.Model;
import org.sglang4j.core.model.ModelConfig;
import org.sglang4j.core.model.ModelLoader;
import org.sglang4j.core.testing.RandomModels;
import org.sglang4j.core.testing.SharedData;

class GgufModelLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsLlamaHyperParametersFromMetadata() throws Exception {
        Path file = RandomModels.mistral().write(dir.resolve("m.gguf"));
        try (Model m = ModelLoader.load(file)) {
            ModelConfig c = m.config();
            assertThat(c.architecture()).isEqualTo("llama");
            assertThat(new int[] {c.dim(), c.hiddenDim(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.headDim(),
                    c.vocabSize(), c.contextLength(), c.ropeDim()})
                    .containsExactly(128, 352, 2, 8, 2, 16, 4096, RandomModels.CONTEXT_LENGTH, 16);
            assertThat(c.ropeTheta()).isEqualTo(1_000_000f);
            assertThat(c.rmsNormEps()).isEqualTo(1e-5f);
            assertThat(c.ropeNeox()).isFalse();
            assertThat(c.tiedEmbeddings()).isFalse();
            assertThat(c.qkvBias()).isFalse();
            assertThat(c.qkNorm()).isFalse();
            assertThat(m.quantization()).isEqualTo("F32");
            long matrices = 2L * 4096 * 128 + 2 * (128L * 128 * 2 + 2 * 32 * 128 + 3 * 128 * 352);
            long small = 128 + 2 * (2 * 128);
            assertThat(m.weightBytes()).isEqualTo(4 * (matrices + small));
        }
    }

    @Test
    void qwenFamiliesUseNeoxRopeAndTheirExtras() throws Exception {
        try (Model q2 = ModelLoader.load(RandomModels.qwen2().write(dir.resolve("q2.gguf")));
             Model q3 = ModelLoader.load(RandomModels.qwen3().withType(GgmlType.F32).write(dir.resolve("q3.gguf")))) {
            assertThat(q2.config().ropeNeox()).isTrue();
            assertThat(q2.config().qkvBias()).isTrue();
            assertThat(q2.config().tiedEmbeddings()).isTrue();
            assertThat(q3.config().qkNorm()).isTrue();
            assertThat(q3.config().headDim()).isEqualTo(32); // != dim / heads = 16
            assertThat(q3.config().qDim()).isEqualTo(128);
        }
    }

    @Test
    void unsupportedArchitectureIsNamedWithTheSupportedOnes() throws Exception {
        Path file = dir.resolve("gpt2.gguf");
        new GgufWriter().put("general.architecture", "gpt2").addF32("token_embd.weight", new long[] {4, 2}, new float[8])
                .write(file);
        assertThatThrownBy(() -> ModelLoader.load(file)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("'gpt2'").hasMessageContaining("llama, qwen2, qwen3");
    }

    @Test
    void yarnRopeScalingIsRejected() throws Exception {
        Path file = rewrite(RandomModels.llama().write(dir.resolve("a.gguf")), NO_EDIT,
                w -> w.put("llama.rope.scaling.type", "yarn").put("llama.rope.scaling.factor", 4f));
        assertThatThrownBy(() -> ModelLoader.load(file)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("yarn");
    }

    @Test
    void linearRopeScalingIsRead() throws Exception {
        Path file = rewrite(RandomModels.llama().write(dir.resolve("a.gguf")), NO_EDIT,
                w -> w.put("llama.rope.scaling.type", "linear").put("llama.rope.scaling.factor", 4f));
        try (Model m = ModelLoader.load(file)) {
            assertThat(m.config().ropeScaling().factor()).isEqualTo(4f);
            float[] inv = m.config().ropeInverseFrequencies(null);
            assertThat(inv[0]).isEqualTo(0.25f);
        }
    }

    @Test
    void wrongTensorShapeIsReportedWithBothShapes() throws Exception {
        Path file = rewrite(RandomModels.llama().write(dir.resolve("a.gguf")), (w, name) -> {
            if (!name.equals("blk.1.attn_k.weight")) return false;
            w.addF32(name, new long[] {64, 32}, new float[64 * 32]);
            return true;
        }, w -> {});
        assertThatThrownBy(() -> ModelLoader.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 attn_k").hasMessageContaining("32x64").hasMessageContaining("64x64");
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        Path file = rewrite(RandomModels.llama().write(dir.resolve("a.gguf")), (w, name) -> name.equals("blk.0.ffn_up.weight"), w -> {});
        assertThatThrownBy(() -> ModelLoader.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blk.0.ffn_up.weight");
    }

    @Test
    void nonModelFilesAreRejectedClearly() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> ModelLoader.load(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a GGUF file");
        assertThatThrownBy(() -> ModelLoader.load(dir.resolve("absent.gguf")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> ModelLoader.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("directory without config.json");
        Path truncated = dir.resolve("short.bin");
        byte[] stories = Files.readAllBytes(SharedData.stories260K().resolve("stories260K.bin"));
        Files.write(truncated, java.util.Arrays.copyOf(stories, 100_000));
        assertThatThrownBy(() -> ModelLoader.load(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1056540 bytes").hasMessageContaining("100000");
    }

    /** Replaces or drops a tensor while copying: returns false to copy it unchanged. */
    private interface TensorEdit {
        boolean edit(GgufWriter w, String name);
    }

    private static final TensorEdit NO_EDIT = (w, name) -> false;

    /** Copies a GGUF file with all metadata, extra metadata from {@code meta}, and tensors passed through {@code edit}. */
    private Path rewrite(Path src, TensorEdit edit, java.util.function.Consumer<GgufWriter> meta) throws IOException {
        Path out = dir.resolve("rewritten-" + src.getFileName());
        try (GgufFile f = GgufFile.open(src)) {
            GgufWriter w = new GgufWriter().copyMetadata(f, "");
            meta.accept(w);
            for (GgufTensorInfo t : f.tensors().values()) {
                if (!edit.edit(w, t.name())) {
                    w.addTensor(t.name(), t.shape(), t.type(), t.data().toArray(ValueLayout.JAVA_BYTE));
                }
            }
            w.write(out);
        }
        return out;
    }
}
