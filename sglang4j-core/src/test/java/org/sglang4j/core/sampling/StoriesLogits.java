package org.sglang4j.core.sampling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.sglang4j.core.testing.SharedData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real model logits (vocab 512) from line 1 of stories260K/reference.jsonl, computed by llama2.c. */
final class StoriesLogits {
    private static volatile List<float[]> rows;

    private StoriesLogits() {}

    /** All 512 logits at position 0 (input BOS). */
    static float[] pos0() {
        return load().get(0).clone();
    }

    /** All 512 logits at the last prompt position of "Once upon a time". */
    static float[] lastPromptPos() {
        return load().get(1).clone();
    }

    private static List<float[]> load() {
        if (rows == null) {
            try {
                String line = Files.readAllLines(SharedData.stories260K().resolve("reference.jsonl")).getFirst();
                JsonNode json = JsonMapper.builder().build().readTree(line);
                rows = List.of(floats(json.get("full_logits_pos0")),
                        floats(json.get("full_logits_last_prompt_pos").get("logits")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rows;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).floatValue();
        return out;
    }
}
