package org.sglang4j.grammar.json;

import java.util.Map;
import org.sglang4j.grammar.GrammarException;
import org.sglang4j.grammar.regex.Regex;
import org.sglang4j.grammar.regex.RegexParser;

/**
 * Regexes for the JSON Schema string formats we can enforce, written so that every match is valid by the format's
 * RFC (not just plausible): dates respect month lengths and leap years, times stop at second 59, e-mail addresses
 * and host names keep labels within their length limits, e-mail domains end in a registered top-level domain.
 */
final class StringFormats {
    private static final String YEAR = "[0-9]{4}";
    private static final String LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)";
    private static final String DATE = "(?:" + YEAR + "-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
            + "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|" + LEAP_YEAR + "-02-29)";
    private static final String TIME = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,20}[A-Za-z0-9])?";
    private static final String HOSTNAME = "(?:" + LABEL + "\\.){0,3}" + LABEL;
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final String HEX = "[0-9a-fA-F]";
    private static final String TLD = "(?:com|org|net|edu|gov|info|io|ai|app|dev|co|cn|de|uk|jp|fr|in|us)";

    private static final Map<String, String> PATTERNS = Map.of(
            "date", DATE,
            "time", TIME,
            "date-time", DATE + "T" + TIME,
            // Validators check the top-level domain against IANA's list, so only well-known ones are offered.
            "email", "[A-Za-z0-9_+-]{1,20}(?:\\.[A-Za-z0-9_+-]{1,20}){0,2}@(?:" + LABEL + "\\.){1,3}" + TLD,
            "uuid", HEX + "{8}-" + HEX + "{4}-" + HEX + "{4}-" + HEX + "{4}-" + HEX + "{12}",
            "ipv4", OCTET + "(?:\\." + OCTET + "){3}",
            "hostname", HOSTNAME);

    private StringFormats() {}

    /** The content regex for {@code format} (without quotes). */
    static Regex of(String format, String path) {
        String p = PATTERNS.get(format);
        if (p == null) {
            throw new GrammarException("unsupported string format '" + format + "' at " + path + "; supported: "
                    + String.join(", ", new java.util.TreeSet<>(PATTERNS.keySet())));
        }
        return RegexParser.parse(p);
    }
}
