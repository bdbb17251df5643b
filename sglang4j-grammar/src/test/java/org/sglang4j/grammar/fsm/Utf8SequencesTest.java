package org.sglang4j.grammar.fsm;

import static org.assertj.core.api.Assertions.assertThat;

import dk.brics.automaton.Automaton;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.sglang4j.grammar.regex.CodePointSet;

/**
 * The byte automaton of a code-point range against Java's own UTF-8 encoder: it accepts the encoding of every code
 * point in the range (checked at the ends, around every 64/4096/262144 boundary and at random) and no encoding of a
 * code point outside, nor any truncated or over-long sequence.
 */
class Utf8SequencesTest {

    @Property(tries = 300)
    void acceptsExactlyTheEncodingsOfTheRange(@ForAll @IntRange(min = 0, max = 0x10FFFF) int a,
                                              @ForAll @IntRange(min = 0, max = 0x10FFFF) int b, @ForAll long seed) {
        int lo = Math.min(a, b), hi = Math.max(a, b);
        if (seed % 3 == 0) hi = Math.min(0x10FFFF, lo + (int) Math.floorMod(seed, 300L)); // narrow ranges too
        CodePointSet set = CodePointSet.range(lo, hi);
        if (set.isEmpty()) return; // only surrogates
        Automaton auto = Utf8Sequences.automaton(set);
        Random random = new Random(seed);
        for (int i = 0; i < 400; i++) {
            int cp = switch (i % 4) {
                case 0 -> random.nextInt(0x110000);
                case 1 -> lo + random.nextInt(Math.max(1, hi - lo + 1));
                case 2 -> boundaryNear(random, lo);
                default -> boundaryNear(random, hi);
            };
            if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
            String enc = latin1(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            assertThat(auto.run(enc)).as("U+%X in [U+%X, U+%X]", cp, lo, hi).isEqualTo(cp >= lo && cp <= hi);
            if (enc.length() > 1) assertThat(auto.run(enc.substring(0, enc.length() - 1))).as("truncated U+%X", cp).isFalse();
        }
        assertThat(auto.run(latin1(new byte[] {(byte) 0xC0, (byte) 0x80}))).as("over-long NUL").isFalse();
        assertThat(auto.run(latin1(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))).as("encoded surrogate").isFalse();
    }

    private static int boundaryNear(Random random, int cp) {
        int[] blocks = {1, 64, 4096, 262144};
        int block = blocks[random.nextInt(blocks.length)];
        return (cp / block) * block + random.nextInt(3) - 1 + (random.nextBoolean() ? block : 0);
    }

    /** Bytes as brics chars 0..255. */
    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
