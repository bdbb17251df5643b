package org.sglang4j.core.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.testing.SharedData;

/**
 * The llama.cpp tokenizer test vectors in ../shared/testdata/vocab (format in its SOURCE.md): {@code X.gguf.inp}
 * holds the strings separated by {@code "\n__ggml_vocab_test__\n"}, {@code X.gguf.out} one line of expected ids
 * per string (Hugging Face's {@code encode(text, add_special_tokens=False)}).
 */
record VocabTestCases(String name, List<String> inputs, List<int[]> expected) {

    static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    static VocabTestCases load(String name) {
        try {
            Path dir = SharedData.vocab("");
            String inp = Files.readString(dir.resolve("ggml-vocab-" + name + ".gguf.inp"), StandardCharsets.UTF_8);
            List<String> out = Files.readAllLines(dir.resolve("ggml-vocab-" + name + ".gguf.out"), StandardCharsets.UTF_8);
            List<String> inputs = new ArrayList<>(Arrays.asList(inp.split(SEPARATOR, -1)));
            if (inputs.getLast().isEmpty()) inputs.removeLast(); // the file ends with the separator
            List<int[]> expected = new ArrayList<>();
            for (String line : out) {
                String t = line.strip();
                expected.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" ")).mapToInt(Integer::parseInt).toArray());
            }
            if (inputs.size() != expected.size()) {
                throw new IllegalStateException(name + ": " + inputs.size() + " inputs but " + expected.size() + " outputs");
            }
            return new VocabTestCases(name, inputs, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.Map<String, VocabTokenizer> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The tokenizer of ggml-vocab-{name}.gguf, loaded once per test JVM (tokenizers are immutable). */
    static VocabTokenizer tokenizer(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try (GgufFile gguf = GgufFile.open(SharedData.vocab("ggml-vocab-" + n + ".gguf"))) {
                return Tokenizers.fromGguf(gguf);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
