package org.sglang4j.server.openai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Llama3ToolCallParserTest {

    static Llama3ToolCallParser parser() {
        return new Llama3ToolCallParser(ToolCallParser.randomIds());
    }

    @Test
    void bareJsonCallsSeparatedBySemicolons() {
        Deltas d = Deltas.feedAll(parser(), " {\"name\": \"a\", \"parameters\": {\"x\": 1}}; {\"name\": \"b\", \"parameters\": {}}");
        assertThat(d.merged()).extracting(ToolCall::name).containsExactly("a", "b");
        assertThat(d.merged()).extracting(ToolCall::arguments).containsExactly("{\"x\": 1}", "{}");
        assertThat(d.content).isEmpty();
    }

    @Test
    void pythonTagAfterText() {
        Deltas d = Deltas.feedAll(parser(), "Checking.<|python_tag|>{\"name\": \"get_order\", \"parameters\": {\"id\": \"1\"}}");
        assertThat(d.content).hasToString("Checking.");
        assertThat(d.merged()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("get_order"));
    }

    @Test
    void plainTextAndJsonWithoutNameAreContent() {
        assertThat(Deltas.feedAll(parser(), "Hello {there}").content).hasToString("Hello {there}");
        Deltas json = Deltas.feedAll(parser(), "{\"intent\": \"refund\", \"entities\": {\"order_id\": \"JD1\"}}");
        assertThat(json.calls).isEmpty();
        assertThat(json.content).hasToString("{\"intent\": \"refund\", \"entities\": {\"order_id\": \"JD1\"}}");
    }

    @Test
    void leadingWhitespaceWaitsForTheFirstCharacter() {
        ToolCallParser p = parser();
        assertThat(p.feed("  ").isEmpty()).isTrue();
        assertThat(p.feed("<|py").isEmpty()).isTrue();
        ParsedDelta pd = p.feed("thon_tag|>{\"name\": \"f\"").then(p.finish());
        assertThat(ToolCall.merge(pd.calls())).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("f"));
    }
}
