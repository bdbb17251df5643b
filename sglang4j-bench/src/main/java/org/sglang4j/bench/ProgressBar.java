package org.sglang4j.bench;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr ({@code label [#####.....] 12/40 3.1s}), redrawn in place with a carriage
 * return at most ten times a second; a final newline on {@link #close()}. When stderr is not a terminal (CI logs)
 * it prints a plain line every 10% instead, so logs stay readable.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDrawNanos;
    private int lastDecile = -1;

    public ProgressBar(String label, long total) {
        this(System.err, label, total, System.console() != null);
    }

    ProgressBar(PrintStream out, String label, long total, boolean terminal) {
        if (total < 0) throw new IllegalArgumentException("progress total must be >= 0, got " + total);
        this.out = out;
        this.label = label;
        this.total = total;
        this.terminal = terminal;
    }

    /** Advances by {@code n}; safe to call from several threads. */
    public synchronized void step(long n) {
        done = Math.min(total, done + n);
        draw(false);
    }

    private void draw(boolean force) {
        long now = System.nanoTime();
        double seconds = (now - startNanos) / 1e9;
        if (terminal) {
            if (!force && now - lastDrawNanos < 100_000_000L && done < total) return;
            lastDrawNanos = now;
            int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
            out.printf("\r%s [%s%s] %d/%d %.1fs", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                    seconds);
        } else {
            int decile = total == 0 ? 10 : (int) (10 * done / total);
            if (decile == lastDecile && !force) return;
            lastDecile = decile;
            out.printf("%s %d/%d (%d%%) %.1fs%n", label, done, total, total == 0 ? 100 : 100 * done / total, seconds);
        }
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (terminal) {
            draw(true);
            out.println();
        } else if (lastDecile != 10) {
            draw(true);
        }
        out.flush();
    }
}
