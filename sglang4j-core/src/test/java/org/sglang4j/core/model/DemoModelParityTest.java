package org.sglang4j.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sglang4j.core.demo.DemoModel;
import org.sglang4j.core.gguf.GgufFile;
import org.sglang4j.core.kernel.ComputePool;
import org.sglang4j.core.testing.LlamaCppServer;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.core.tokenizer.Tokenizers;

/** The built-in demo model is a valid Llama GGUF: llama.cpp loads it and computes the same distributions. */
class DemoModelParityTest {

    @TempDir
    Path dir;

    @Test
    void demoModelIsDeterministicAndMatchesLlamaCpp() throws Exception {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        DemoModel.write(a);
        DemoModel.write(b);
        assertThat(Files.mismatch(a, b)).as("the demo model must be byte-identical every time").isEqualTo(-1L);

        Tokenizer tok;
        try (GgufFile f = GgufFile.open(a)) {
            tok = Tokenizers.fromGguf(f);
        }
        String text = "Hello! I would like to check the status of my order 20240611, 谢谢.";
        int[] prompt = tok.encode(text, false, false);
        assertThat(prompt.length).as("merges learned from the built-in text shorten it").isLessThan(text.length());
        assertThat(tok.decode(prompt, false)).isEqualTo(text);

        LlamaCppServer.Completion expected;
        try (LlamaCppServer server = LlamaCppServer.start(a)) {
            expected = server.complete(prompt, 8, 5);
        }
        try (Model model = ModelLoader.load(a); ComputePool pool = new ComputePool(2)) {
            double[][] ours = LlamaCppParityTest.logProbsPrefillThenDecode(model, KvDtype.F32, prompt, expected.tokens(), pool);
            for (int i = 0; i < ours.length; i++) {
                LlamaCppServer.Position p = expected.positions().get(i);
                for (int j = 0; j < p.topIds().length; j++) {
                    // F32 weights and F32 KV on both sides: same tolerance as the F32 random models.
                    assertThat(ours[i][p.topIds()[j]]).as("position %d token %d", i, p.topIds()[j])
                            .isCloseTo(p.topLogprobs()[j], Offset.offset(5e-4));
                }
            }
        }
    }
}
