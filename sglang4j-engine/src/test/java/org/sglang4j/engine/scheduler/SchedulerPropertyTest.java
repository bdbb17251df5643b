package org.sglang4j.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sglang4j.engine.scheduler.SchedulerHarness.EOS;
import static org.sglang4j.engine.scheduler.SchedulerHarness.req;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.Req;

/**
 * Whatever the pool size, batch limits, chunking, policy, mixing and radix setting, every request finishes with
 * exactly the reference greedy output, the KV invariant holds after every step, nothing stays locked when idle,
 * and a flush returns the whole pool.
 */
class SchedulerPropertyTest {
    /** One request: a prompt made of a shared prefix (one of four) plus its own tail. */
    record ReqSpec(int prefix, int prefixLen, int tailLen, int maxNew, boolean ignoreEos, long seed) {}

    @Provide
    Arbitrary<List<ReqSpec>> requests() {
        Arbitrary<ReqSpec> one = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 30), Arbitraries.integers().between(1, 30),
                Arbitraries.integers().between(0, 30), Arbitraries.of(true, false), Arbitraries.longs())
                .as(ReqSpec::new);
        return one.list().ofMinSize(1).ofMaxSize(24);
    }

    @Provide
    Arbitrary<Integer> chunk() {
        return Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(1, 48));
    }

    @Property(tries = 60)
    void anyMixOfRequestsFinishesWithTheReferenceOutput(
            @ForAll("requests") List<ReqSpec> specs, @ForAll @IntRange(min = 64, max = 400) int pool,
            @ForAll @IntRange(min = 1, max = 12) int maxRunning, @ForAll("chunk") int chunk,
            @ForAll boolean lpm, @ForAll boolean mixed, @ForAll boolean noRadix,
            @ForAll @DoubleRange(min = 0.05, max = 1.5) double conservativeness) {
        SchedulerConfig config = SchedulerHarness.config(pool, maxRunning).withChunkedPrefillSize(chunk)
                .withSchedulePolicy(lpm ? "lpm" : "fcfs").withEnableMixedChunk(mixed).withDisableRadixCache(noRadix)
                .withScheduleConservativeness(conservativeness).withMaxPrefillTokens(64);
        int[][] prefixes = new int[4][];
        for (int p = 0; p < 4; p++) prefixes[p] = SchedulerTest.prompt(new Random(p), 30);
        int n = specs.size();
        Req[] reqs = new Req[n];
        int[][] prompts = new int[n][];
        int[] maxNew = new int[n];
        for (int i = 0; i < n; i++) {
            ReqSpec s = specs.get(i);
            int[] tail = SchedulerTest.prompt(new Random(s.seed()), s.tailLen() + 1);
            prompts[i] = SchedulerTest.concat(Arrays.copyOf(prefixes[s.prefix()], s.prefixLen()),
                    Arrays.copyOfRange(tail, 1, tail.length));
            if (prompts[i].length == 0) prompts[i] = new int[] {1};
            maxNew[i] = Math.min(s.maxNew(), pool - prompts[i].length);
            SamplingParams sp = SamplingParams.builder().temperature(0).maxNewTokens(maxNew[i])
                    .ignoreEos(s.ignoreEos()).build();
            reqs[i] = req("q" + i, prompts[i], sp);
        }
        try (var h = new SchedulerHarness(config)) {
            int half = n / 2;
            if (half > 0) h.submit(Arrays.copyOfRange(reqs, 0, half));
            for (int i = 0; i < half; i++) h.await("q" + i);
            h.submit(Arrays.copyOfRange(reqs, half, n));
            for (int i = 0; i < n; i++) {
                var r = h.await("q" + i);
                assertThat(r.last().finishReason()).as("request %d", i).isNotInstanceOf(FinishReason.Abort.class);
                assertThat(r.tokenArray()).as("request %d", i).isEqualTo(h.model.referenceGreedy(prompts[i],
                        maxNew[i], 0, new int[] {EOS}, specs.get(i).ignoreEos()));
            }
            h.awaitIdleAndCheck();
            assertThat(h.flush()).isTrue();
            h.inspect(s -> assertThat(s.cache.allocator.availableSize()).isEqualTo(pool));
        }
    }
}
