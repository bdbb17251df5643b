package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * Random regexes, random walks through the Qwen2 masks (the model stand-in samples any allowed token): every
 * output that ends with EOS fully matches the regex under java.util.regex, and every output cut by the length cap
 * is a prefix of some match.
 */
class RegexWalkProperties {

    @Property(tries = 80)
    void walksThroughQwen2MasksMatchTheRegex(@ForAll long seed) {
        walk(Vocabs.QWEN2, seed);
    }

    @Property(tries = 25)
    void walksThroughLlamaSentencePieceMasksMatchTheRegex(@ForAll long seed) {
        walk(Vocabs.LLAMA_SPM, seed);
    }

    private static void walk(String vocab, long seed) {
        Random random = new Random(seed);
        RandomRegexes.Pair regex = RandomRegexes.generate(random);
        Tokenizer tok = Vocabs.tokenizer(vocab);
        CompiledGrammar g;
        try {
            g = Vocabs.compiler(vocab).compile(new Constraint.Regex(regex.python()), Duration.ofSeconds(30));
        } catch (GrammarException e) {
            // Only a regex that can produce nothing but "" is rejected.
            assertThat(e.getMessage()).contains("only the empty string");
            assertThat(Pattern.compile(regex.java(), Pattern.UNIX_LINES).matcher("").matches()).isTrue();
            return;
        }
        Pattern java = Pattern.compile(regex.java(), Pattern.UNIX_LINES);
        for (int i = 0; i < 4; i++) {
            RandomWalk.Result r = RandomWalk.run(g, tok, random, 24, 0.35, 0.0);
            byte[] b = r.bytes();
            Statistics.label("walk").collect(r.finished() ? "finished" : "cut");
            try {
                if (r.finished()) {
                    String text = Checks.utf8(b);
                    assertThat(Checks.matches(java, text)).as("%s generated '%s'", regex.python(), text).isTrue();
                } else {
                    String complete = Checks.utf8(Arrays.copyOf(b, Checks.completeLength(b)));
                    assertThat(Checks.isPrefix(java, complete)).as("%s cut at '%s'", regex.python(), complete).isTrue();
                }
            } catch (Checks.TooSlow e) {
                // the reference matcher, not the code under test, is slow here; the other samples still count
                Statistics.label("reference").collect("too slow");
            }
        }
    }
}
