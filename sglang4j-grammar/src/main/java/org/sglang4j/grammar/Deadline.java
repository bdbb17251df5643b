package org.sglang4j.grammar;

import java.time.Duration;

/**
 * Cooperative time limit for one compilation. Every loop whose length the user controls calls {@link #check}, so
 * a pathological grammar stops within the limit (plus one loop step) and its thread is free again; interrupting
 * the compiling thread stops it the same way.
 */
public final class Deadline {
    private static final long NONE = Long.MAX_VALUE;
    private final long endNanos;
    private final Duration limit;
    private int calls;

    private Deadline(long endNanos, Duration limit) {
        this.endNanos = endNanos;
        this.limit = limit;
    }

    public static Deadline after(Duration limit) {
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException("grammar timeout must be > 0, got " + limit);
        long nanos = limit.toNanos();
        long start = System.nanoTime();
        return new Deadline(nanos >= NONE - start ? NONE : start + nanos, limit);
    }

    public static Deadline none() {
        return new Deadline(NONE, null);
    }

    /** Throws if the time is up; cheap enough to call in inner loops (reads the clock every 64th call). */
    public void check(String stage) {
        if ((++calls & 63) != 0) return;
        checkNow(stage);
    }

    public void checkNow(String stage) {
        if (Thread.currentThread().isInterrupted()) throw new GrammarException("grammar compilation was cancelled during " + stage);
        if (endNanos != NONE && System.nanoTime() - endNanos > 0) {
            throw new GrammarException("grammar compilation exceeded its time limit of " + limit.toMillis() + " ms during "
                    + stage + "; simplify the regex or schema (fewer or smaller counted repetitions, fewer alternatives)");
        }
    }
}
