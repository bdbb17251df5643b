package org.sglang4j.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Percentiles as numpy.percentile (linear) computes them, and bench_serving's derived figures. */
class DistributionTest {

    @Test
    void percentilesInterpolateLinearlyLikeNumpy() {
        // numpy.percentile([1..10], [50, 90, 99]) = [5.5, 9.1, 9.91]
        double[] s = {0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.009, 0.010};
        Distribution d = Distribution.ofSeconds(s);
        assertThat(d.count()).isEqualTo(10);
        assertThat(d.mean()).isCloseTo(5.5, within(1e-9));
        assertThat(d.median()).isCloseTo(5.5, within(1e-9));
        assertThat(d.p90()).isCloseTo(9.1, within(1e-9));
        assertThat(d.p99()).isCloseTo(9.91, within(1e-9));
        assertThat(d.max()).isCloseTo(10, within(1e-9));
        assertThat(Distribution.ofSeconds(new double[] {Double.NaN, 0.002}).median()).isCloseTo(2, within(1e-9));
        assertThat(Distribution.ofSeconds(new double[0]).median()).isNaN();
    }

    @Test
    void metricsFollowBenchServingDefinitions() {
        // Two successful requests and one failure over 4 s: (start, ttft, latency, prompt, output, cached)
        List<RequestResult> rs = List.of(
                new RequestResult(0, 0, true, null, 0.0, 0.5, 2.5, new double[] {0.5, 0.5, 0.5, 0.5}, 100, 5, 0, "a"),
                new RequestResult(1, 0, true, null, 1.0, 1.0, 3.0, new double[] {1.0, 1.0}, 300, 3, 200, "b"),
                RequestResult.failure(2, 0, 1.5, 0.1, "HTTP 500"));
        ServingMetrics m = ServingMetrics.compute(rs, 4.0);
        assertThat(m.completed()).isEqualTo(2);
        assertThat(m.failed()).isEqualTo(1);
        assertThat(m.totalInputTokens()).isEqualTo(400);
        assertThat(m.totalOutputTokens()).isEqualTo(8);
        assertThat(m.requestThroughput()).isCloseTo(0.5, within(1e-12));
        assertThat(m.outputThroughput()).isCloseTo(2.0, within(1e-12));
        assertThat(m.totalThroughput()).isCloseTo(102.0, within(1e-12));
        assertThat(m.concurrency()).isCloseTo(5.5 / 4, within(1e-12));
        assertThat(m.cacheHitRate()).isCloseTo(0.5, within(1e-12));
        // TPOT = (e2e - ttft) / (output - 1): 2.0 / 4 = 0.5 s and 2.0 / 2 = 1.0 s
        assertThat(m.tpot().mean()).isCloseTo(750, within(1e-9));
        assertThat(m.itl().count()).isEqualTo(6);
        assertThat(m.ttft().median()).isCloseTo(750, within(1e-9));
        assertThat(m.format("x")).contains("Successful requests:", "P90 TTFT (ms):", "Cache hit rate:                          50.0%");
    }

    @Test
    void cacheHitRateIsUnknownWhenNoServerReportedIt() {
        List<RequestResult> rs = List.of(new RequestResult(0, 0, true, null, 0, 0.1, 0.2, new double[0], 10, 1, -1, ""));
        assertThat(ServingMetrics.compute(rs, 1).cacheHitRate()).isNaN();
    }
}
