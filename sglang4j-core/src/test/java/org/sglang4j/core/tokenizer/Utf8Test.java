package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Utf8Test {

    /**
     * Streaming decode, cut anywhere, gives exactly the one-shot result; and it keeps exactly the characters the
     * JDK's decoder keeps (the two may group ill-formed bytes into U+FFFD differently).
     */
    @Property(tries = 3000)
    void streamingDecodeEqualsJdkDecode(@ForAll @Size(max = 24) List<Byte> raw, @ForAll @IntRange(min = 1, max = 5) int step) {
        byte[] bytes = new byte[raw.size()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = weighted(raw.get(i));
        StringBuilder out = new StringBuilder();
        byte[] pending = new byte[bytes.length];
        int len = 0;
        for (int i = 0; i < bytes.length; i += step) {
            int n = Math.min(step, bytes.length - i);
            System.arraycopy(bytes, i, pending, len, n);
            len += n;
            int used = Utf8.decodeInto(pending, 0, len, false, out);
            System.arraycopy(pending, used, pending, 0, len - used);
            len -= used;
        }
        Utf8.decodeInto(pending, 0, len, true, out);
        assertThat(out.toString()).isEqualTo(Utf8.decode(bytes, 0, bytes.length));
        assertThat(out.toString().replace("\uFFFD", ""))
                .isEqualTo(new String(bytes, StandardCharsets.UTF_8).replace("\uFFFD", ""));
    }

    @Property(tries = 1000)
    void validTextDecodesExactlyLikeTheJdk(@ForAll("texts") String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.decode(b, 0, b.length)).isEqualTo(s);
        assertThat(Utf8.encode(s)).isEqualTo(b);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> texts() { return UnicodeTexts.text(); }

    /** Random bytes are mostly garbage; bias them toward lead and continuation bytes so sequences form. */
    private static byte weighted(byte b) {
        int v = b & 0xFF;
        return switch (v % 4) {
            case 0 -> (byte) (0x80 | (v & 0x3F));           // continuation
            case 1 -> (byte) (0xC0 | (v & 0x3F));           // 2..4-byte leads and invalid C0/C1/F5+
            case 2 -> (byte) (v & 0x7F);                    // ASCII
            default -> b;
        };
    }

    @Test
    void strictDecodeNamesTheBadOffset() {
        byte[] bad = {'o', 'k', (byte) 0xC3, '(', 'x'};
        assertThatThrownBy(() -> Utf8.decodeStrict(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 2").hasMessageContaining("0xC3");
        assertThat(Utf8.decodeStrict("héllo 🦙".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo 🦙");
        assertThat(Utf8.decode(new byte[] {'a', (byte) 0xFF, 'b'}, 0, 3)).isEqualTo("a\uFFFDb");
        assertThat(Utf8.decode(new byte[] {'a', (byte) 0xE4, (byte) 0xB8}, 0, 3)).isEqualTo("a\uFFFD");
    }

    @Test
    void loneSurrogatesEncodeAsReplacementCharacter() {
        assertThat(Utf8.encode("a\uD800b")).containsExactly('a', 0xEF, 0xBF, 0xBD, 'b');
        assertThat(Utf8.encode("\uDC00")).containsExactly(0xEF, 0xBF, 0xBD);
        assertThat(Utf8.encode("😀")).isEqualTo("😀".getBytes(StandardCharsets.UTF_8));
    }
}
