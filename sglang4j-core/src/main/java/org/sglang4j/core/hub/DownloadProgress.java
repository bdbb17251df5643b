package org.sglang4j.core.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A download progress display on stderr. On a terminal: one line redrawn in place (at most 10 times a second)
 * with a bar, bytes, percent, speed and ETA. Otherwise (logs, CI): a plain line at every 10% step, so the log
 * stays short. A resumed download starts at the bytes already present; speed counts only new bytes.
 */
final class DownloadProgress {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final String name;
    private final long total;      // bytes, or -1 when the server did not say
    private final long startBytes;
    private final long startNanos;
    private long done;
    private long lastDraw;
    private int lastDecile;

    DownloadProgress(PrintStream out, boolean terminal, LongSupplier nanoTime, String name, long total, long already) {
        this.out = out;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.name = name;
        this.total = total;
        this.startBytes = already;
        this.done = already;
        this.startNanos = nanoTime.getAsLong();
        this.lastDraw = startNanos - REDRAW_NANOS;
        this.lastDecile = total > 0 ? (int) (already * 10 / total) : 0;
        if (!terminal) {
            out.println("Downloading " + name + (total >= 0 ? " (" + megabytes(total) + " MB)" : "")
                    + (already > 0 ? ", resuming at " + megabytes(already) + " MB" : ""));
        }
    }

    /** Whether stderr is an interactive terminal (decides the display mode for the real CLI). */
    static boolean stderrIsTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    void advance(long bytes) {
        done += bytes;
        long now = nanoTime.getAsLong();
        if (terminal) {
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                out.print("\r" + line(now));
                out.flush();
            }
        } else if (total > 0) {
            int decile = (int) Math.min(10, done * 10 / total);
            if (decile > lastDecile && decile < 10) {
                lastDecile = decile;
                out.println("  " + name + ": " + line(now));
            }
        }
    }

    /** Prints the final state (100% when the size was known). */
    void finish() {
        long now = nanoTime.getAsLong();
        if (terminal) out.print("\r" + line(now) + "\n");
        else out.println("  " + name + ": " + line(now) + " done");
        out.flush();
    }

    String line(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startBytes) / seconds; // bytes per second
        StringBuilder sb = new StringBuilder();
        if (terminal) sb.append(name).append(' ');
        if (total > 0) {
            int percent = (int) Math.min(100, done * 100 / total);
            if (terminal) {
                int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
                sb.append('|').append("#".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append("| ");
            }
            sb.append(String.format(Locale.ROOT, "%3d%% %s/%s MB", percent, megabytes(done), megabytes(total)));
        } else {
            sb.append(megabytes(done)).append(" MB");
        }
        sb.append(String.format(Locale.ROOT, "  %.1f MB/s", rate / 1e6));
        if (total > 0 && rate > 0 && done < total) sb.append("  ETA ").append(duration((total - done) / rate));
        return sb.toString();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
