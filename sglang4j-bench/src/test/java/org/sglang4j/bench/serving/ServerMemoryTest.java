package org.sglang4j.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sglang4j.bench.BenchJson;
import org.sglang4j.bench.Comparison;

/**
 * The memory overhead figures: ours is resident memory less the weights and the KV pool's resident part (the pool
 * is mapped lazily), the peer's is less the weights and the whole pool, and reports from servers that did not say
 * how much of the pool was resident count all of it.
 */
class ServerMemoryTest {

    @Test
    void oursSubtractsOnlyTheResidentPartOfThePool() {
        var m = new ServingReport.ServerMemory(500, 4096, 1000, 100.0);
        assertThat(m.kvInMemoryMiB()).isEqualTo(100);
        assertThat(m.overheadMiB()).isEqualTo(1000 - 500 - 100);
    }

    @Test
    void aServerThatDidNotReportResidencyCountsTheWholePool() throws Exception {
        assertThat(new ServingReport.ServerMemory(500, 300, 1000, null).overheadMiB()).isEqualTo(200);
        // A report written before the field existed reads back without it.
        String old = "{\"weightsMiB\": 500.0, \"kvPoolMiB\": 300.0, \"residentMiB\": 1000.0}";
        var m = BenchJson.MAPPER.readValue(old, ServingReport.ServerMemory.class);
        assertThat(m.kvResidentMiB()).isNull();
        assertThat(m.overheadMiB()).isEqualTo(200);
    }

    @Test
    void thePeersOverheadIsItsResidentSetLessOurWeightsAndTheWholePool() {
        var metrics = ServingMetrics.compute(List.of(new RequestResult(0, 0, true, null, 0.0, 0.5, 2.5,
                new double[] {0.5, 0.5}, 100, 3, 0, "a")), 3.0);
        var ours = new ServingReport.Run("sglang4j", "u", "openai", "cmd", 0, metrics, List.of(),
                new ServingReport.ServerMemory(500, 4096, 1000, 100.0));
        var peer = new ServingReport.Run("llama.cpp", "u", "openai", "cmd", 0, metrics, List.of(),
                new ServingReport.ServerMemory(Double.NaN, Double.NaN, 4800, null));
        Comparison c = ServingComparisons.of(List.of(ours, peer)).stream()
                .filter(x -> x.metric().equals("memory beyond weights + KV pool")).findFirst().orElseThrow();
        assertThat(c.ours()).isEqualTo(400);
        assertThat(c.peer()).isEqualTo(4800 - 500 - 4096);
    }
}
