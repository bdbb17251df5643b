package org.sglang4j.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sglang4j.bench.TinyModel;

/** llama-bench is run and parsed as the peer of {@code bench one-batch}. */
class LlamaBenchTest {

    @Test
    void runsTheRequestedTestsWithTheGivenThreadsAndKvType() throws Exception {
        LlamaBench.Run run = LlamaBench.run(TinyModel.llamaCpp(), TinyModel.file("q8_0"), 2, List.of(8, 4), List.of(3), 2, "f16");
        assertThat(run.command()).startsWith("llama-bench -m ").contains("-t 2", "-p 8,4", "-n 3", "-r 2", "-ctk f16");
        assertThat(run.tests()).extracting(LlamaBench.Test::label).containsExactlyInAnyOrder("pp8", "pp4", "tg3");
        for (LlamaBench.Test t : run.tests()) {
            assertThat(t.threads()).isEqualTo(2);
            assertThat(t.typeK()).isEqualTo("f16");
            assertThat(t.samplesTokPerS()).hasSize(2);
            assertThat(java.util.Arrays.stream(t.samplesTokPerS()).min().orElseThrow()).isPositive();
        }
        assertThat(run.find(0, 3).nGen()).isEqualTo(3);
        assertThatThrownBy(() -> run.find(16, 0)).hasMessageContaining("n_prompt=16");
    }

    @Test
    void anF32KvComparisonRunsThePeerWithF16BecauseLlamaBenchRejectsF32() throws Exception {
        LlamaBench.Run run = LlamaBench.run(TinyModel.llamaCpp(), TinyModel.file("q8_0"), 1, List.of(4), List.of(), 1, "f32");
        assertThat(run.command()).contains("-ctk f16", "-ctv f16");
        assertThat(run.tests()).singleElement().satisfies(t -> assertThat(t.typeK()).isEqualTo("f16"));
    }

    @Test
    void parsesTheJsonFieldsAndTakesTheMedianOfTheRepetitions() {
        var tests = LlamaBench.parse("""
                [{"n_prompt": 512, "n_gen": 0, "n_threads": 2, "type_k": "f16", "avg_ts": 200.0, "stddev_ts": 10.0,
                  "samples_ts": [190.0, 230.0, 180.0], "cpu_info": "AMD EPYC", "model_type": "qwen2 1B Q8_0"},
                 {"n_prompt": 0, "n_gen": 128, "n_threads": 2, "type_k": "f16", "avg_ts": 30.0, "stddev_ts": 1.0,
                  "samples_ts": [29.0, 31.0], "cpu_info": "AMD EPYC", "model_type": "qwen2 1B Q8_0"}]""");
        assertThat(tests).hasSize(2);
        assertThat(tests.get(0).label()).isEqualTo("pp512");
        assertThat(tests.get(0).medianTokPerS()).isEqualTo(190.0);
        assertThat(tests.get(1).label()).isEqualTo("tg128");
        assertThat(tests.get(1).medianTokPerS()).isEqualTo(30.0);
        assertThatThrownBy(() -> LlamaBench.parse("{\"error\": 1}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an array");
    }

    @Test
    void missingToolsAreNamed() {
        assertThatThrownBy(() -> TinyModel.llamaCpp().tool("llama-nonexistent"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("llama-nonexistent");
        assertThatThrownBy(() -> LlamaCpp.locate(java.nio.file.Path.of("/no/such/llama.cpp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/llama.cpp");
    }
}
