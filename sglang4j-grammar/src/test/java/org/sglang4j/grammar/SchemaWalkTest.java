package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * JSON schemas of every supported kind, random walks through the Qwen2 masks: each output that ends with EOS
 * parses and validates against the schema under the networknt validator (format assertions on); each output cut by
 * the length cap is a prefix of JSON text (Jackson) and of the generated regex (java.util.regex).
 */
class SchemaWalkTest {
    static final int WALKS = 20;

    static Stream<Arguments> schemas() {
        return Stream.of(
                Arguments.of("ticket", Schemas.TICKET),
                Arguments.of("nlu", Schemas.NLU),
                Arguments.of("ticket with Chinese keys", Schemas.TICKET_CHINESE),
                Arguments.of("nested arrays", """
                        {"type":"object","properties":{
                          "tags":{"type":"array","items":{"type":"string","maxLength":8},"minItems":1,"maxItems":3},
                          "matrix":{"type":"array","items":{"type":"array","items":{"type":"integer"},"maxItems":2},"maxItems":2}},
                         "required":["tags","matrix"]}"""),
                Arguments.of("number bounds", """
                        {"type":"object","properties":{
                          "qty":{"type":"integer","minimum":1,"maximum":99},
                          "price":{"type":"number","minimum":0,"exclusiveMaximum":1000},
                          "delta":{"type":"integer","exclusiveMinimum":-50,"maximum":-3},
                          "ratio":{"type":"number","minimum":-1,"maximum":1},
                          "big":{"type":"integer","minimum":1234567}},
                         "required":["qty","price","delta","ratio","big"]}"""),
                Arguments.of("formats", """
                        {"type":"object","properties":{
                          "day":{"type":"string","format":"date"},"at":{"type":"string","format":"date-time"},
                          "clock":{"type":"string","format":"time"},"mail":{"type":"string","format":"email"},
                          "id":{"type":"string","format":"uuid"},"ip":{"type":"string","format":"ipv4"},
                          "host":{"type":"string","format":"hostname"}},
                         "required":["day","at","clock","mail","id","ip","host"]}"""),
                Arguments.of("recursive $defs", """
                        {"$defs":{"node":{"type":"object","properties":{
                            "name":{"type":"string","maxLength":5},
                            "children":{"type":"array","items":{"$ref":"#/$defs/node"},"maxItems":2}},
                          "required":["name","children"]}},
                         "$ref":"#/$defs/node"}"""),
                Arguments.of("oneOf by const", """
                        {"oneOf":[
                          {"type":"object","properties":{"kind":{"const":"a"},"x":{"type":"integer"}},"required":["kind","x"]},
                          {"type":"object","properties":{"kind":{"const":"b"},"y":{"type":"boolean"}},"required":["kind","y"]}]}"""),
                Arguments.of("overlapping oneOf", """
                        {"type":"object","properties":{
                          "n":{"oneOf":[{"type":"integer"},{"type":"integer","minimum":5}]},
                          "s":{"oneOf":[{"type":"string","maxLength":3},{"type":"string","pattern":"^a"}]}},
                         "required":["n","s"]}"""),
                Arguments.of("optional properties", """
                        {"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"},"c":{"type":"boolean"},"d":{"type":"null"}},
                         "required":["b"]}"""),
                Arguments.of("all optional", """
                        {"type":"object","properties":{"a":{"type":"string","maxLength":3},"b":{"type":"integer"},"c":{"type":"boolean"}}}"""),
                Arguments.of("mixed enum", """
                        {"enum":["红色","green",1,null,true,{"a":[1,2]},"with \\"quote\\""]}"""),
                Arguments.of("const object", """
                        {"const":{"x":"y","z":[1,2.5],"键":"值"}}"""),
                Arguments.of("type arrays and nullable", """
                        {"type":"object","properties":{"a":{"type":["string","null"]},"b":{"type":"integer","nullable":true}},
                         "required":["a","b"]}"""),
                Arguments.of("additionalProperties schema", """
                        {"type":"object","additionalProperties":{"type":"integer"}}"""),
                Arguments.of("any object", """
                        {"type":"object"}"""),
                Arguments.of("prefixItems", """
                        {"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"""),
                Arguments.of("pattern with length", """
                        {"type":"string","pattern":"^[a-z]+$","minLength":2,"maxLength":6}"""),
                Arguments.of("Chinese pattern", """
                        {"type":"object","properties":{"回复":{"type":"string","pattern":"^[\\\\u4e00-\\\\u9fa5，。！]{2,30}$"}},
                         "required":["回复"]}"""),
                Arguments.of("tool call", """
                        {"type":"object","properties":{"name":{"const":"track_order"},
                          "arguments":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}},
                         "required":["name","arguments"]}"""),
                Arguments.of("any value", "true"),
                Arguments.of("bare string", """
                        {"type":"string","description":"a title","title":"t"}"""),
                Arguments.of("allOf of one $ref", """
                        {"definitions":{"p":{"type":"object","properties":{"q":{"type":"boolean"}},"required":["q"]}},
                         "allOf":[{"$ref":"#/definitions/p"}]}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemas")
    void finishedOutputsValidateAndCutOutputsArePrefixes(String name, String schema) {
        walkAndCheck(Vocabs.compiler(Vocabs.QWEN2), new Constraint.JsonSchema(schema), schema, name.hashCode());
    }

    @Test
    void jsonObjectModeGivesObjects() {
        walkAndCheck(Vocabs.compiler(Vocabs.QWEN2), new Constraint.JsonObject(), "{\"type\":\"object\"}", 11);
    }

    @Test
    void customWhitespacePatternIsHonoured() {
        GrammarCompiler pretty = new GrammarCompiler(Vocabs.qwen2(), GrammarConfig.defaults().withJsonWhitespacePattern("[\\n ]{0,3}"));
        walkAndCheck(pretty, new Constraint.JsonSchema(Schemas.NLU), Schemas.NLU, 12);
        walkAndCheck(pretty, new Constraint.JsonSchema(Schemas.TICKET_CHINESE), Schemas.TICKET_CHINESE, 13);
    }

    /** Runs {@link #WALKS} walks; returns how many finished. */
    static int walkAndCheck(GrammarCompiler compiler, Constraint constraint, String schema, long seed) {
        Tokenizer tok = Vocabs.qwen2();
        CompiledGrammar g = compiler.compile(constraint, Duration.ofSeconds(30));
        String regex = g.regex();
        Pattern java = regex.contains("(?#and)") ? null : Pattern.compile(regex, Pattern.UNIX_LINES);
        Random random = new Random(seed);
        int finished = 0;
        for (int i = 0; i < WALKS; i++) {
            RandomWalk.Result r = RandomWalk.run(g, tok, random, 160, 0.5, 0.3);
            if (r.finished()) {
                finished++;
                String text = Checks.utf8(r.bytes());
                List<com.networknt.schema.Error> errors = Checks.schemaErrors(schema, text);
                assertThat(errors).as("'%s' against %s", text, schema).isEmpty();
            } else {
                byte[] b = r.bytes();
                String complete = Checks.utf8(Arrays.copyOf(b, Checks.completeLength(b)));
                Checks.assertJsonPrefix(complete);
                if (java != null) {
                    try {
                        assertThat(Checks.isPrefix(java, complete)).as("cut at '%s'", complete).isTrue();
                    } catch (Checks.TooSlow e) {
                        // reference matcher too slow on this sample
                    }
                }
            }
        }
        assertThat(finished).as("walks that reached EOS").isGreaterThanOrEqualTo(WALKS / 4);
        return finished;
    }
}
