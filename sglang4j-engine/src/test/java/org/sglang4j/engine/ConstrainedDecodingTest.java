package org.sglang4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.GenerateRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Constrained decoding through the engine (issue 7, engine side) on the built-in demo model (random weights,
 * byte-level BPE): outputs that finish with a stop fully match their regex / schema (checked with
 * java.util.regex and Jackson), masks stay with their requests in mixed batches, bad grammars are a 400.
 */
class ConstrainedDecodingTest {
    static Engine engine;

    @BeforeAll
    static void start() {
        engine = Engine.start(EngineConfig.defaults(null).withMaxTotalTokens(8192).withThreads(1).withWarmups(0));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    record Result(String text, int[] tokens, GenerateOutput last) {}

    static CompletableFuture<Result> run(String rid, String prompt, SamplingParams p) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        StringBuilder text = new StringBuilder();
        List<Integer> tokens = new ArrayList<>();
        engine.submit(GenerateRequest.of(rid, engine.tokenizer().encode(prompt, true, false), p), o -> {
            text.append(o.textDelta());
            for (int t : o.newTokenIds()) tokens.add(t);
            if (o.finished()) f.complete(new Result(text.toString(), tokens.stream().mapToInt(i -> i).toArray(), o));
        });
        return f;
    }

    static Result get(CompletableFuture<Result> f) {
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static SamplingParams constrained(Constraint c, int maxNew) {
        return SamplingParams.builder().temperature(0).maxNewTokens(maxNew).constraint(c).build();
    }

    @Test
    void regexOutputsMatchInFull() {
        for (String regex : List.of("(yes|no|maybe)", "[0-9]{3}-[a-z]{2,4}", "Order #[0-9]{1,6} is (shipped|delayed)\\.")) {
            Result r = get(run("re-" + regex.hashCode(), "Answer:", constrained(new Constraint.Regex(regex), 48)));
            assertThat(r.last().finishReason()).as(regex).isInstanceOf(FinishReason.MatchedToken.class);
            assertThat(r.text()).as("output of %s", regex).matches(Pattern.compile(regex));
        }
    }

    @Test
    void lengthCutOutputIsAValidPrefix() {
        String regex = "[a-z]+( [a-z]+)*\\.";
        Result r = get(run("cut", "Words:", constrained(new Constraint.Regex(regex), 5)));
        Matcher m = Pattern.compile(regex).matcher(r.text());
        assertThat(m.matches() || m.hitEnd()).as("'%s' is a prefix of %s", r.text(), regex).isTrue();
    }

    @Test
    void jsonSchemaTicketIsValid() throws Exception {
        String schema = """
                {"type":"object","properties":{
                  "order_id":{"type":"string","pattern":"[0-9]{6}"},
                  "status":{"type":"string","enum":["open","pending","closed"]},
                  "action":{"type":"string","maxLength":12}},
                 "required":["order_id","status","action"]}""";
        Result r = get(run("ticket", "Ticket:", constrained(new Constraint.JsonSchema(schema), 120)));
        assertThat(r.last().finishReason()).isInstanceOf(FinishReason.MatchedToken.class);
        JsonNode ticket = JsonMapper.builder().build().readTree(r.text());
        assertThat(ticket.get("order_id").asString()).matches("[0-9]{6}");
        assertThat(ticket.get("status").asString()).isIn("open", "pending", "closed");
        assertThat(ticket.get("action").asString().length()).isLessThanOrEqualTo(12);
    }

    @Test
    void masksFollowTheirRequestsInAMixedBatch() {
        SamplingParams free = SamplingParams.builder().temperature(0).maxNewTokens(20).build();
        Result alone = get(run("free-alone", "Once upon a time", free));
        List<CompletableFuture<Result>> constrainedRuns = new ArrayList<>();
        List<CompletableFuture<Result>> freeRuns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            constrainedRuns.add(run("mix-c" + i, "Pick " + i + ":", constrained(new Constraint.Regex("(red|green|blue)"), 16)));
            freeRuns.add(run("mix-f" + i, "Once upon a time", free));
        }
        for (var f : constrainedRuns) assertThat(get(f).text()).isIn("red", "green", "blue");
        for (var f : freeRuns) assertThat(get(f).tokens()).isEqualTo(alone.tokens());
    }

    @Test
    void badGrammarsFailAloneWithA400() {
        SamplingParams bad = constrained(new Constraint.Regex("(unclosed"), 8);
        assertThatThrownBy(() -> engine.submit(GenerateRequest.of("bad", new int[] {1, 2, 3}, bad), o -> {}))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo("regex");
                });
        SamplingParams badSchema = constrained(new Constraint.JsonSchema("{\"type\": \"no-such-type\"}"), 8);
        assertThatThrownBy(() -> engine.submit(GenerateRequest.of("bad2", new int[] {1, 2, 3}, badSchema), o -> {}))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("json_schema"));
        assertThat(get(run("after", "still serving", constrained(new Constraint.Regex("ok"), 4))).text()).isEqualTo("ok");
    }
}
