package org.sglang4j.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ComputePoolTest {

    /** Every index of [0, n) is run exactly once, for sizes around the thread and chunk counts. */
    @Test
    void coversEveryIndexExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (ComputePool pool = new ComputePool(threads)) {
                for (int n = 0; n <= 70; n++) assertCoveredOnce(pool, n);
                assertCoveredOnce(pool, 100_003);
            }
        }
    }

    /** Workers that gave up spinning and parked are woken for the next job (no lost wake-up). */
    @Test
    void wakesParkedWorkers() throws InterruptedException {
        try (ComputePool pool = new ComputePool(3)) {
            for (int i = 0; i < 40; i++) {
                assertCoveredOnce(pool, 64);
                Thread.sleep(i % 4 == 0 ? 2 : 0, i * 7919 % 400_000);
            }
        }
    }

    @Test
    void aFailingTaskRethrowsOnTheCallerAndThePoolStaysUsable() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThatThrownBy(() -> pool.parallelFor(1000, (s, e) -> {
                if (s <= 500 && 500 < e) throw new IllegalArgumentException("bad index 500");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad index 500");
            assertCoveredOnce(pool, 1000);
        }
    }

    @Test
    void aNestedParallelForRunsOnTheCallingThread() {
        try (ComputePool pool = new ComputePool(2)) {
            AtomicInteger inner = new AtomicInteger();
            pool.parallelFor(8, (s, e) -> {
                for (int i = s; i < e; i++) pool.parallelFor(10, (a, b) -> inner.addAndGet(b - a));
            });
            assertThat(inner.get()).isEqualTo(80);
        }
    }

    @Test
    void concurrentCallersAreServedOneJobAtATime() throws Exception {
        try (ComputePool pool = new ComputePool(2)) {
            List<Thread> callers = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; i < 200; i++) assertCoveredOnce(pool, 37 + i % 50);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                callers.add(t);
                t.start();
            }
            for (Thread t : callers) t.join();
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void rejectsBadArgumentsAndUseAfterClose() {
        assertThatThrownBy(() -> new ComputePool(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be >= 1, got 0");
        ComputePool pool = new ComputePool(2);
        assertThatThrownBy(() -> pool.parallelFor(-1, (s, e) -> {})).isInstanceOf(IllegalArgumentException.class);
        pool.close();
        assertThatThrownBy(() -> pool.parallelFor(10, (s, e) -> {})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static void assertCoveredOnce(ComputePool pool, int n) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        pool.parallelFor(n, (s, e) -> {
            assertThat(s).isLessThan(e);
            for (int i = s; i < e; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) {
            if (hits.get(i) != 1) throw new AssertionError("index " + i + " of " + n + " ran " + hits.get(i) + " times");
        }
    }
}
