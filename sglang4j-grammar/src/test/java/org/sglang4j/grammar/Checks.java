package org.sglang4j.grammar;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Independent checkers for generated output: java.util.regex, Jackson, the networknt JSON Schema validator. */
public final class Checks {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private Checks() {}

    /** Strict UTF-8 decoding; throws on malformed input. */
    public static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("output is not valid UTF-8: " + java.util.HexFormat.of().formatHex(b), e);
        }
    }

    /** Length of the longest prefix that ends on a character boundary, after checking the tail is a partial character. */
    static int completeLength(byte[] b) {
        int i = b.length;
        int back = 0;
        while (back < 3 && i - back - 1 >= 0 && (b[i - back - 1] & 0xC0) == 0x80) back++;
        int lead = i - back - 1;
        if (lead < 0) return b.length;
        int l = b[lead] & 0xFF;
        int need = l < 0x80 ? 1 : l >= 0xF0 ? 4 : l >= 0xE0 ? 3 : l >= 0xC0 ? 2 : -1;
        if (need < 0) throw new AssertionError("stray continuation byte");
        if (back + 1 == need) return b.length;
        if (back + 1 > need) throw new AssertionError("too many continuation bytes");
        return lead; // a character cut inside, which a later token would complete
    }

    /** True if {@code text} is a prefix of some string {@code pattern} fully matches. */
    public static boolean isPrefix(Pattern pattern, String text) {
        Matcher m = pattern.matcher(new Bounded(text));
        return m.matches() || m.hitEnd();
    }

    public static boolean matches(Pattern pattern, String text) {
        return pattern.matcher(new Bounded(text)).matches();
    }

    /** Thrown when java.util.regex backtracks for too long; callers then skip that sample. */
    public static final class TooSlow extends RuntimeException {
        TooSlow() {
            super("java.util.regex took too long", null, false, false);
        }
    }

    /** A CharSequence that stops a backtracking matcher after a time budget (checked every 4096 reads). */
    private static final class Bounded implements CharSequence {
        private final String s;
        private final long end = System.nanoTime() + 3_000_000_000L;
        private int reads;

        Bounded(String s) {
            this.s = s;
        }

        @Override
        public int length() { return s.length(); }

        @Override
        public char charAt(int i) {
            if ((++reads & 4095) == 0 && System.nanoTime() > end) throw new TooSlow();
            return s.charAt(i);
        }

        @Override
        public CharSequence subSequence(int a, int b) { return s.subSequence(a, b); }

        @Override
        public String toString() { return s; }
    }

    /** Schema validation errors for a JSON instance (format assertions on). */
    public static List<com.networknt.schema.Error> schemaErrors(String schema, String instance) {
        Schema s = REGISTRY.getSchema(schema, InputFormat.JSON);
        return s.validate(instance, InputFormat.JSON);
    }

    /** Throws unless {@code text} is a prefix of some JSON text: every syntax error must be end of input. */
    public static void assertJsonPrefix(String text) {
        try (JsonParser p = MAPPER.createParser(text)) {
            while (p.nextToken() != null) { }
        } catch (UnexpectedEndOfInputException e) {
            return;
        } catch (StreamReadException e) {
            String m = e.getOriginalMessage();
            // A literal cut short ("tru") is reported as an unrecognized token; accept it only at the very end.
            java.util.regex.Matcher lit = Pattern.compile("Unrecognized token '([a-z]*)'").matcher(m);
            if (lit.find() && !lit.group(1).isEmpty() && text.endsWith(lit.group(1))
                    && ("true".startsWith(lit.group(1)) || "false".startsWith(lit.group(1)) || "null".startsWith(lit.group(1)))) return;
            if (m.contains("end-of-input")) return;
            // So is a number cut after its '.', 'e' or exponent sign.
            if (m.contains("numeric value") && Pattern.compile("(?:[0-9]\\.|[0-9][eE][+-]?)$").matcher(text).find()) return;
            throw new AssertionError("not a JSON prefix: '" + text + "': " + m, e);
        }
    }
}
