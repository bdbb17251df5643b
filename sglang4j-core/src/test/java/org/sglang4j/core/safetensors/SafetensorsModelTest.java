package org.sglang4j.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsModelTest {
    @TempDir Path dir;

    private void writeTwoShards() throws IOException {
        new SafetensorsTestWriter()
                .bf16("model.embed_tokens.weight", new long[] {2, 2}, 1f, 2f, 3f, 4f)
                .f32("model.norm.weight", new long[] {2}, 0.5f, 0.75f)
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsTestWriter()
                .f16("lm_head.weight", new long[] {2, 2}, -1f, -2f, -3f, -4f)
                .write(dir.resolve("model-00002-of-00002.safetensors"));
    }

    @Test
    void shardedModelMapsEveryNameToItsShard() throws IOException {
        writeTwoShards();
        Files.writeString(dir.resolve(SafetensorsModel.INDEX_FILE), """
                {"metadata": {"total_size": 24},
                 "weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                                "model.norm.weight": "model-00001-of-00002.safetensors",
                                "lm_head.weight": "model-00002-of-00002.safetensors"}}""");
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertThat(m.shards()).hasSize(2);
            assertThat(m.tensors()).hasSize(3);
            assertThat(m.tensor("model.embed_tokens.weight").toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
            assertThat(m.tensor("model.norm.weight").toFloatArray()).containsExactly(0.5f, 0.75f);
            assertThat(m.tensor("lm_head.weight").shape()).containsExactly(2, 2);
            assertThat(m.tensor("lm_head.weight").toFloatArray()).containsExactly(-1f, -2f, -3f, -4f);
        }
    }

    @Test
    void indexPointingAtMissingShardOrTensorIsNamed() throws IOException {
        writeTwoShards();
        Files.writeString(dir.resolve(SafetensorsModel.INDEX_FILE),
                "{\"weight_map\": {\"lm_head.weight\": \"model-00003-of-00003.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsModel.open(dir))
                .hasMessageContaining("lm_head.weight").hasMessageContaining("model-00003-of-00003.safetensors");
        Files.writeString(dir.resolve(SafetensorsModel.INDEX_FILE),
                "{\"weight_map\": {\"model.norm.bias\": \"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsModel.open(dir))
                .hasMessageContaining("model.norm.bias").hasMessageContaining("no such tensor");
        Files.writeString(dir.resolve(SafetensorsModel.INDEX_FILE), "{\"metadata\": {}}");
        assertThatThrownBy(() -> SafetensorsModel.open(dir)).hasMessageContaining("weight_map");
    }

    @Test
    void singleFileDirectoryAndPlainFileBothOpen() throws IOException {
        new SafetensorsTestWriter().f32("w", new long[] {3}, 1f, 2f, 3f).write(dir.resolve("model.safetensors"));
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertThat(m.tensor("w").toFloatArray()).containsExactly(1f, 2f, 3f);
        }
        try (SafetensorsModel m = SafetensorsModel.open(dir.resolve("model.safetensors"))) {
            assertThat(m.tensors()).containsOnlyKeys("w");
        }
    }

    @Test
    void shardsWithoutIndexAreMergedAndDuplicatesRejected() throws IOException {
        writeTwoShards();
        try (SafetensorsModel m = SafetensorsModel.open(dir)) {
            assertThat(m.tensors()).containsOnlyKeys("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight");
        }
        new SafetensorsTestWriter().f32("lm_head.weight", new long[] {1}, 0f).write(dir.resolve("extra.safetensors"));
        assertThatThrownBy(() -> SafetensorsModel.open(dir)).hasMessageContaining("lm_head.weight")
                .hasMessageContaining("more than one file");
    }

    @Test
    void directoryWithoutWeightsIsAClearError() {
        assertThatThrownBy(() -> SafetensorsModel.open(dir)).hasMessageContaining("no .safetensors files");
        assertThatThrownBy(() -> SafetensorsModel.open(dir.resolve("nope"))).hasMessageContaining("does not exist");
    }
}
