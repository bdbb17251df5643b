package org.sglang4j.core.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed pool of platform threads for CPU kernels ({@code --threads}, default = cores). Inference never runs on
 * virtual threads: a long computation would pin one of the few carriers.
 */
public final class ComputePool implements AutoCloseable {
    /** Work on the half-open range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private final int threads;
    private final ExecutorService executor;

    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.executor = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "sglang4j-compute");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Splits {@code [0, n)} into {@link #threads()} contiguous ranges and runs them; the caller runs one. */
    public void parallelFor(int n, RangeTask task) {
        if (threads == 1 || n < 2) {
            task.run(0, n);
            return;
        }
        int parts = Math.min(threads, n);
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int start = (int) ((long) n * p / parts);
            int end = (int) ((long) n * (p + 1) / parts);
            futures.add(executor.submit(() -> task.run(start, end)));
        }
        task.run(0, (int) ((long) n / parts));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in parallelFor", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("kernel task failed", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (executor != null) executor.shutdownNow();
    }
}
