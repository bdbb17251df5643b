package org.sglang4j.bench.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A closed-loop load: {@code clients} virtual threads, each sending its next request as soon as the previous one
 * answered, until {@code requests} have been sent in total. Returns one latency per request.
 */
final class ClosedLoad {

    private ClosedLoad() {}

    /** {@code request.apply(i)} runs request i and returns when it has its full answer. */
    static LatencyStats run(int clients, int requests, IntFunction<Callable<Void>> request) throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests; ) {
                        long start = System.nanoTime();
                        request.apply(i).call();
                        latencies[i] = System.nanoTime() - start;
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) w.get();
        }
        return LatencyStats.of(latencies, (System.nanoTime() - t0) / 1e9);
    }
}
