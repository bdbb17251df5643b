package org.sglang4j.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging for the server process: java.util.logging with one line per record on stderr
 * ({@code 2026-01-31 06:15:16.123 INFO  [main] SglangServer: ready: ...}). slf4j (used by libraries such as
 * jinjava) is bound to JUL by slf4j-jdk14, so everything ends up in the same format.
 */
public final class LogSetup {

    private LogSetup() {}

    /** {@code level} is SGLang's --log-level: debug, info, warning, error or critical. */
    public static void install(String level) {
        Level jul = switch (level) {
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warning" -> Level.WARNING;
            case "error", "critical" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("unknown log level " + level);
        };
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler h = new ConsoleHandler();
        h.setFormatter(new OneLineFormatter());
        h.setLevel(jul);
        root.addHandler(h);
        root.setLevel(jul);
        // The JDK's own HTTP server logs every closed connection at FINE; keep it quiet even at debug.
        Logger.getLogger("com.sun.net.httpserver").setLevel(Level.INFO);
    }

    static final class OneLineFormatter extends Formatter {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord r) {
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            String shortName = logger.substring(logger.lastIndexOf('.') + 1);
            StringBuilder sb = new StringBuilder(160)
                    .append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ')
                    .append(String.format("%-7s", r.getLevel().getName())).append(' ')
                    .append('[').append(Thread.currentThread().getName()).append("] ")
                    .append(shortName).append(": ").append(formatMessage(r)).append('\n');
            if (r.getThrown() != null) {
                StringWriter sw = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(sw));
                sb.append(sw);
            }
            return sb.toString();
        }
    }
}
