package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The test oracles themselves must reject what they are meant to reject. */
class ChecksTest {

    @Test
    void jsonPrefixCheckAcceptsCutTextAndRejectsBrokenText() {
        for (String ok : new String[] {"{\"a\": 1", "{\"a\": tru", "[1,", "{\"订", "{\"a\":\"x\\", "-", "{\"a\": 1.", "{\"a\": 1e", "{\"a\": 2E-", "{\"a\": -", "[1,2]"}) {
            assertThatCode(() -> Checks.assertJsonPrefix(ok)).as(ok).doesNotThrowAnyException();
        }
        for (String bad : new String[] {"{\"a\" 1", "[1,]", "{\"a\": x", "{a", "[1 2", "{\"a\":1}}"}) {
            assertThatThrownBy(() -> Checks.assertJsonPrefix(bad)).as(bad).isInstanceOf(AssertionError.class);
        }
    }

    @Test
    void regexPrefixCheck() {
        Pattern p = Pattern.compile("\\{\"a\": [0-9]+\\}");
        assertThat(Checks.isPrefix(p, "{\"a\": 12")).isTrue();
        assertThat(Checks.isPrefix(p, "{\"a\": x")).isFalse();
    }

    @Test
    void utf8Helpers() {
        assertThat(Checks.completeLength("订".getBytes(StandardCharsets.UTF_8))).isEqualTo(3);
        assertThat(Checks.completeLength(Arrays.copyOf("a订".getBytes(StandardCharsets.UTF_8), 3))).isEqualTo(1);
        assertThatThrownBy(() -> Checks.utf8(new byte[] {(byte) 0xE8, 'a'})).isInstanceOf(AssertionError.class);
    }

    @Test
    void schemaValidatorAssertsFormats() {
        String schema = "{\"type\":\"string\",\"format\":\"date\"}";
        assertThat(Checks.schemaErrors(schema, "\"2024-02-29\"")).isEmpty();
        assertThat(Checks.schemaErrors(schema, "\"2023-02-29\"")).isNotEmpty();
    }
}
