package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * Random schemas (nested objects and arrays, enums, bounds, patterns, formats, anyOf, keys needing escapes or
 * written in Chinese), random walks through the Qwen2 masks: every output ending with EOS validates under the
 * networknt validator; every output cut by the length cap is a JSON prefix.
 */
class SchemaWalkProperties {

    @Property(tries = 60)
    void randomSchemasOnlyProduceValidJson(@ForAll long seed) {
        Random random = new Random(seed);
        String schema = RandomSchemas.generate(random);
        Tokenizer tok = Vocabs.qwen2();
        CompiledGrammar g = Vocabs.compiler(Vocabs.QWEN2).compile(new Constraint.JsonSchema(schema), Duration.ofSeconds(30));
        for (int i = 0; i < 5; i++) {
            int cap = i % 2 == 0 ? 200 : 3 + random.nextInt(15); // short caps exercise cut outputs
            RandomWalk.Result r = RandomWalk.run(g, tok, random, cap, 0.5, 0.3);
            Statistics.label("walk").collect(r.finished() ? "finished" : "cut");
            if (r.finished()) {
                String text = Checks.utf8(r.bytes());
                assertThat(Checks.schemaErrors(schema, text)).as("'%s' against %s", text, schema).isEmpty();
            } else {
                byte[] b = r.bytes();
                Checks.assertJsonPrefix(Checks.utf8(Arrays.copyOf(b, Checks.completeLength(b))));
            }
        }
    }
}
