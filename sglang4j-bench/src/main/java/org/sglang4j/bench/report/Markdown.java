package org.sglang4j.bench.report;

import java.util.Locale;

/** Number and text formatting for the generated Markdown. */
final class Markdown {
    private Markdown() {}

    static String number(double v, String unit) {
        if (Double.isNaN(v)) return "—";
        return switch (unit) {
            case "fraction" -> String.format(Locale.ROOT, "%.0f%%", 100 * v);
            case "ms" -> v >= 100 ? String.format(Locale.ROOT, "%.0f ms", v) : String.format(Locale.ROOT, "%.1f ms", v);
            default -> v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        };
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "—" : String.format(Locale.ROOT, "%.2f×", r);
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * A part's timestamp ({@code ZonedDateTime.toString()}) as {@code yyyy-MM-dd HH:mm}: parts can be re-run alone
     * ({@code --parts}), so each section says when it was measured. Unparseable text is kept as it is.
     */
    static String when(String iso) {
        try {
            return java.time.ZonedDateTime.parse(iso).format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    /** Keeps table cells intact: pipes and newlines would break a row. */
    static String escape(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }
}
