package org.sglang4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateRequest;
import org.sglang4j.engine.req.GenerateResult;
import org.sglang4j.grammar.Checks;
import org.sglang4j.grammar.Schemas;

/**
 * Issue 7's property on real decoding: the trained stories260K model (llama2.c tokenizer with byte fallback) and the
 * built-in random-weight demo model (byte-level BPE) sample, at temperature 1 with several seeds, under regexes and
 * JSON schemas (the case study's ticket and NLU schemas, and the one with Chinese keys), all requests in one engine
 * at once. Every output that ends with a stop token must fully match its regex (java.util.regex) or validate against
 * its schema (networknt, format assertions on); every output cut by max_new_tokens must be a prefix of a match (of
 * JSON text, for schemas).
 */
class ConstrainedModelOutputsTest {
    static final List<String> REGEXES = List.of(
            "(yes|no|maybe)",
            "[0-9]{3}-[a-z]{2,4}",
            "Order #[0-9]{1,6} is (shipped|delayed)\\.",
            "[a-z]+( [a-z]+){0,5}\\.",
            "(订单|退款)[0-9]{2}号",
            "\\{\"ok\": (true|false)\\}");
    static final List<String> SCHEMAS = List.of(Schemas.TICKET, Schemas.NLU, Schemas.TICKET_CHINESE);
    static final int SEEDS = 4;

    record Case(String constraint, boolean schema, CompletableFuture<GenerateResult> result) {}

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "demo"})
    void stopEndedOutputsMatchAndLengthCutOnesArePrefixes(String model) throws Exception {
        EngineConfig config = model.equals("demo")
                ? EngineConfig.defaults(null).withMaxTotalTokens(16384).withThreads(1).withWarmups(0)
                : RealModelAcceptanceTest.config(RealModelAcceptanceTest.STORIES, 16384);
        try (Engine engine = Engine.start(config)) {
            int[] prompt = engine.tokenizer().encode("Once upon a time, the shop said:", true, false);
            List<Case> cases = new ArrayList<>();
            for (int seed = 1; seed <= SEEDS; seed++) {
                for (String regex : REGEXES) {
                    cases.add(new Case(regex, false, engine.generate(request(model, cases.size(), prompt,
                            new Constraint.Regex(regex), 64, seed))));
                }
                for (String schema : SCHEMAS) {
                    cases.add(new Case(schema, true, engine.generate(request(model, cases.size(), prompt,
                            new Constraint.JsonSchema(schema), 160, seed))));
                }
            }
            int stopped = 0;
            for (Case c : cases) {
                GenerateResult r = c.result().get(120, TimeUnit.SECONDS);
                String text = r.text();
                switch (r.finishReason()) {
                    case FinishReason.MatchedToken t -> {
                        stopped++;
                        if (c.schema()) {
                            assertThat(Checks.schemaErrors(c.constraint(), text)).as("%s: %s", model, text).isEmpty();
                        } else {
                            assertThat(Checks.matches(Pattern.compile(c.constraint()), text))
                                    .as("%s: '%s' fully matches %s", model, text, c.constraint()).isTrue();
                        }
                    }
                    case FinishReason.Length l -> {
                        if (c.schema()) Checks.assertJsonPrefix(text);
                        else assertThat(Checks.isPrefix(Pattern.compile(c.constraint()), text))
                                .as("%s: '%s' is a prefix of %s", model, text, c.constraint()).isTrue();
                    }
                    default -> fail("%s: unexpected finish %s for %s", model, r.finishReason(), c.constraint());
                }
            }
            // Not vacuous: most samples reach the end of their grammar within the token budget.
            assertThat(stopped).as("%s: outputs that ended with a stop token", model).isGreaterThan(cases.size() / 2);
        }
    }

    private static GenerateRequest request(String model, int i, int[] prompt, Constraint c, int maxNew, int seed) {
        SamplingParams p = SamplingParams.builder().temperature(1.0f).maxNewTokens(maxNew).seed((long) seed)
                .constraint(c).build();
        return GenerateRequest.of(model + "-" + i, prompt, p);
    }
}
