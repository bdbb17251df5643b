package org.sglang4j.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of platform threads for CPU kernels ({@code --threads}, default = cores). Inference never runs on
 * virtual threads: a long computation would pin one of the few carriers.
 *
 * <p>A decode step calls {@link #parallelFor} a few hundred times, so dispatch is built for latency: the
 * {@code threads - 1} workers are persistent and, after a job, spin for {@code sglang4j.pool.spinMicros}
 * (default 200 µs) waiting for the next one before they park. A job is published by bumping a volatile
 * generation counter; ranges are handed out in chunks through one atomic counter, so a thread that got
 * descheduled does not hold up the others, and the caller waits only for ranges in progress, never for a worker
 * to show up. Nothing is allocated per call.
 *
 * <p>One job runs at a time: concurrent callers are serialised, and a task that itself calls
 * {@code parallelFor} runs that inner loop on its own thread.
 */
public final class ComputePool implements AutoCloseable {
    /** Work on the half-open range {@code [start, end)}; may be called several times per job with disjoint ranges. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private static final long SPIN_NANOS = Long.getLong("sglang4j.pool.spinMicros", 200) * 1000;
    /** Chunks per thread: enough to rebalance when one thread is slow, few enough that the counters stay cold. */
    private static final int CHUNKS_PER_THREAD = 4;
    /**
     * Claim index of a finished job. It is set before the next job's fields are written, so a worker that read
     * the old generation late can never claim a range of the new job's size.
     */
    private static final int EXHAUSTED = Integer.MAX_VALUE;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * {@code generation << 32 | next unclaimed index}. Claiming through the generation means a worker that wakes
     * late, after its job finished, can never claim a range of the next job with the previous job's task.
     */
    private final AtomicLong claim = new AtomicLong();
    /** Indices of the current job finished (or skipped after a failure); the job is over when it reaches size. */
    private final AtomicInteger done = new AtomicInteger();
    // The current job: written by the caller before the volatile generation bump that publishes it.
    private RangeTask task;
    private int size;
    private int chunk;
    private volatile int generation;
    private volatile Thread waiter;
    private volatile Throwable failure;
    private volatile boolean closed;

    public ComputePool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("sglang4j-compute-" + (i + 1));
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} split into disjoint ranges on all threads; the caller takes part and
     * returns when every range has run. The caller never waits for a worker that has not started: if the
     * workers are descheduled (a busy machine), it runs the remaining ranges itself.
     */
    public void parallelFor(int n, RangeTask task) {
        if (n < 0) throw new IllegalArgumentException("parallelFor range must be >= 0, got " + n);
        if (n == 0) return;
        if (threads == 1 || n == 1 || lock.isHeldByCurrentThread() || Thread.currentThread() instanceof Worker) {
            task.run(0, n);
            return;
        }
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("ComputePool is closed");
            int g = generation + 1;
            // Retire the previous generation's claim counter first: a worker that woke late for that job and reads
            // this job's size/chunk must not find claimable indices left under the old generation (it would run
            // ranges nobody asked for and add them to this job's done count, which then never equals size).
            claim.set((long) g << 32);
            this.task = task;
            this.size = n;
            this.chunk = Math.max(1, (n + threads * CHUNKS_PER_THREAD - 1) / (threads * CHUNKS_PER_THREAD));
            this.failure = null;
            done.set(0);
            generation = g;
            for (Worker w : workers) {
                if (w.parked) LockSupport.unpark(w);
            }
            work(g);
            awaitDone(n);
            claim.set((long) g << 32 | EXHAUSTED);
            this.task = null;
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof RuntimeException e) throw e;
                if (f instanceof Error e) throw e;
                throw new IllegalStateException("kernel task failed", f);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims and runs chunks of job {@code g} until none are left. The claim word is read before the job's
     * fields: a claim that then succeeds proves job {@code g} was still open, so the fields were still its own
     * (the caller rewrites them only after closing the job, see {@link #EXHAUSTED}).
     */
    private void work(int g) {
        while (true) {
            long v = claim.get();
            if ((int) (v >>> 32) != g) return;
            int start = (int) v;
            RangeTask t = task;
            int n = size;
            int c = chunk;
            if (start >= n) return;
            if (!claim.compareAndSet(v, v + c)) continue;
            int end = Math.min(n, start + c);
            try {
                if (failure == null) t.run(start, end);
            } catch (Throwable e) {
                if (failure == null) failure = e;
            } finally {
                if (done.addAndGet(end - start) == n) {
                    Thread w = waiter;
                    if (w != null) LockSupport.unpark(w);
                }
            }
        }
    }

    private void awaitDone(int n) {
        long deadline = 0;
        for (int spins = 0; done.get() != n; spins++) {
            Thread.onSpinWait();
            if ((spins & 63) == 0) {
                long now = System.nanoTime();
                if (deadline == 0) deadline = now + SPIN_NANOS;
                else if (now > deadline) break;
            }
        }
        if (done.get() == n) return;
        // Publish ourselves, then re-check: the thread finishing the last chunk reads waiter after its update.
        waiter = Thread.currentThread();
        while (done.get() != n) LockSupport.parkNanos(this, 1_000_000);
        waiter = null;
    }

    /** Stops the workers; waits for a job in progress to finish first. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            generation++;
        } finally {
            lock.unlock();
        }
        for (Worker w : workers) LockSupport.unpark(w);
        for (Worker w : workers) {
            try {
                w.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                seen = awaitJob(seen);
                if (closed) return;
                work(seen);
            }
        }

        private int awaitJob(int seen) {
            long deadline = 0;
            for (int spins = 0; ; spins++) {
                int g = generation;
                if (g != seen || closed) return g;
                if (deadline >= 0) {
                    Thread.onSpinWait();
                    if ((spins & 63) == 0) {
                        long now = System.nanoTime();
                        if (deadline == 0) deadline = now + SPIN_NANOS;
                        else if (now > deadline) deadline = -1;
                    }
                } else {
                    // Publish "parked" before the last look at generation; the caller bumps it before reading us.
                    parked = true;
                    if (generation == seen && !closed) LockSupport.park(this);
                    parked = false;
                }
            }
        }
    }
}
