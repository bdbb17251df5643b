package org.sglang4j.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Section timestamps: parts re-run alone keep their own date in the report. */
class MarkdownTest {
    @Test
    void partTimestampsShowDateAndMinuteAndKeepWhatDoesNotParse() {
        String iso = ZonedDateTime.of(2026, 11, 27, 2, 8, 13, 123_000_000, ZoneId.of("UTC")).toString();
        assertThat(Markdown.when(iso)).isEqualTo("2026-11-27 02:08");
        assertThat(Markdown.when("yesterday")).isEqualTo("yesterday");
    }
}
