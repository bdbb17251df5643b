package org.sglang4j.core.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files a repo id selects, on file lists shaped like real Hub repos. */
class ModelFileSelectionTest {
    private static ModelFileSelection choose(String modelPath, String... files) {
        return ModelFileSelection.choose(HfRepoRef.parseOrNull(modelPath), List.of(files));
    }

    // As in Qwen/Qwen2.5-0.5B-Instruct-GGUF.
    private static final String[] QWEN_GGUF = {".gitattributes", "LICENSE", "README.md",
            "qwen2.5-0.5b-instruct-fp16.gguf", "qwen2.5-0.5b-instruct-q2_k.gguf", "qwen2.5-0.5b-instruct-q3_k_m.gguf",
            "qwen2.5-0.5b-instruct-q4_0.gguf", "qwen2.5-0.5b-instruct-q4_k_m.gguf", "qwen2.5-0.5b-instruct-q5_0.gguf",
            "qwen2.5-0.5b-instruct-q5_k_m.gguf", "qwen2.5-0.5b-instruct-q6_k.gguf", "qwen2.5-0.5b-instruct-q8_0.gguf"};

    @Test
    void defaultPrefersQ8_0() {
        ModelFileSelection s = choose("Qwen/Qwen2.5-0.5B-Instruct-GGUF", QWEN_GGUF);
        assertThat(s.primary()).isEqualTo("qwen2.5-0.5b-instruct-q8_0.gguf");
        assertThat(s.files()).containsExactly("qwen2.5-0.5b-instruct-q8_0.gguf");
    }

    @Test
    void withoutQ8_0TheFirstModelFileNotAProjector() {
        assertThat(choose("a/b", "mmproj-b-f16.gguf", "b-Q4_K_M.gguf", "b-Q5_K_M.gguf").primary()).isEqualTo("b-Q4_K_M.gguf");
    }

    @Test
    void quantSuffixIsCaseInsensitiveAndPrefersAWholeNamePart() {
        assertThat(choose("Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", QWEN_GGUF).primary())
                .isEqualTo("qwen2.5-0.5b-instruct-q4_k_m.gguf");
        assertThat(choose("Qwen/Qwen2.5-0.5B-Instruct-GGUF:q5_0", QWEN_GGUF).primary())
                .isEqualTo("qwen2.5-0.5b-instruct-q5_0.gguf");
        // "q4_k" is no whole part of any name: the shortest containing name wins.
        assertThat(choose("a/b:q4_k", "b-q4_k_s.gguf", "b-q4_k_m.gguf", "b-iq4_k_xl.gguf").primary()).isEqualTo("b-q4_k_m.gguf");
        assertThat(choose("a/b:q4_0", "b-iq4_0_extra.gguf", "b-q4_0.gguf").primary()).isEqualTo("b-q4_0.gguf");
        assertThatThrownBy(() -> choose("Qwen/Qwen2.5-0.5B-Instruct-GGUF:iq1_s", QWEN_GGUF))
                .hasMessageContaining("iq1_s").hasMessageContaining("qwen2.5-0.5b-instruct-q8_0.gguf");
    }

    @Test
    void splitGgufBringsAllItsParts() {
        ModelFileSelection s = choose("a/big:q8_0", "big-q8_0-00002-of-00003.gguf", "big-q8_0-00001-of-00003.gguf",
                "big-q8_0-00003-of-00003.gguf", "big-q4_0.gguf");
        assertThat(s.primary()).isEqualTo("big-q8_0-00001-of-00003.gguf");
        assertThat(s.files()).containsExactly("big-q8_0-00001-of-00003.gguf", "big-q8_0-00002-of-00003.gguf",
                "big-q8_0-00003-of-00003.gguf");
        assertThatThrownBy(() -> choose("a/big:q8_0", "big-q8_0-00001-of-00002.gguf"))
                .hasMessageContaining("big-q8_0-00002-of-00002.gguf");
    }

    @Test
    void safetensorsRepoFetchesConfigWeightsIndexAndTokenizerOnly() {
        ModelFileSelection s = choose("Qwen/Qwen2.5-7B-Instruct", ".gitattributes", "LICENSE", "README.md",
                "config.json", "generation_config.json", "merges.txt", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors", "model.safetensors.index.json", "tokenizer.json",
                "tokenizer_config.json", "vocab.json", "onnx/model.onnx");
        assertThat(s.primary()).isNull();
        assertThat(s.files()).containsExactlyInAnyOrder("config.json", "generation_config.json", "merges.txt",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json",
                "tokenizer.json", "tokenizer_config.json", "vocab.json");
        // Mistral repos carry the same weights twice; only the HF-format ones are fetched.
        assertThat(choose("m/x", "config.json", "consolidated.safetensors", "model.safetensors", "tokenizer.model").files())
                .containsExactlyInAnyOrder("config.json", "model.safetensors", "tokenizer.model");
    }

    @Test
    void repoWithNothingLoadableIsAClearError() {
        assertThatThrownBy(() -> choose("a/b", "README.md", "pytorch_model.bin", "config.json"))
                .hasMessageContaining("a/b").hasMessageContaining("neither GGUF");
        assertThatThrownBy(() -> choose("a/b:q8_0", "config.json", "model.safetensors"))
                .hasMessageContaining("no GGUF files");
    }

    @Test
    void repoIdsAreRecognized() {
        assertThat(HfRepoRef.parseOrNull("Qwen/Qwen2.5-0.5B-Instruct-GGUF:q8_0"))
                .isEqualTo(new HfRepoRef("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "q8_0"));
        assertThat(HfRepoRef.parseOrNull("meta-llama/Llama-3.2-1B")).isEqualTo(new HfRepoRef("meta-llama/Llama-3.2-1B", null));
        assertThat(HfRepoRef.parseOrNull("org/name").cacheDirName()).isEqualTo("models--org--name");
        for (String notAnId : new String[] {"model.gguf", "a/b/c", "/abs/path", "a/b.gguf", "../x/y", "a/..", "a b/c"}) {
            assertThat(HfRepoRef.parseOrNull(notAnId)).as(notAnId).isNull();
        }
    }
}
