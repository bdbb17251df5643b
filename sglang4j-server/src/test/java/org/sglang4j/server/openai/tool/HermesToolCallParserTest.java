package org.sglang4j.server.openai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HermesToolCallParserTest {

    static HermesToolCallParser parser() {
        return new HermesToolCallParser(ToolCallParser.randomIds());
    }

    @Test
    void contentAroundOneCall() {
        Deltas d = Deltas.feedAll(parser(), "Let me check.\n<tool_call>\n{\"name\": \"get_order\", \"arguments\": "
                + "{\"order_id\": \"JD202412345678\"}}\n</tool_call>");
        assertThat(d.content).hasToString("Let me check.\n");
        assertThat(d.merged()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_order");
            assertThat(c.arguments()).isEqualTo("{\"order_id\": \"JD202412345678\"}");
            assertThat(c.index()).isZero();
        });
    }

    @Test
    void twoCallsInOneDeltaKeepTheirOwnIndexAndId() {
        ToolCallParser p = parser();
        ParsedDelta pd = p.feed("<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>\n"
                + "<tool_call>{\"name\": \"b\", \"arguments\": {\"x\": [1, {\"y\": \"}\"}]}}</tool_call>");
        pd = pd.then(p.finish());
        List<ToolCall> calls = ToolCall.merge(pd.calls());
        assertThat(calls).extracting(ToolCall::name).containsExactly("a", "b");
        assertThat(calls).extracting(ToolCall::arguments).containsExactly("{}", "{\"x\": [1, {\"y\": \"}\"}]}");
        assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());
        assertThat(pd.content()).isEqualTo("\n");
        assertThat(p.sawToolCall()).isTrue();
    }

    @Test
    void argumentsStreamBeforeTheCallIsComplete() {
        ToolCallParser p = parser();
        assertThat(p.feed("Sure <tool").content()).isEqualTo("Sure "); // "<tool" might be a tag: held back
        ParsedDelta first = p.feed("_call>{\"name\": \"refund\", \"arguments\": {\"order_id\": \"JD");
        assertThat(first.calls()).hasSize(2);
        assertThat(first.calls().get(0).name()).isEqualTo("refund");
        assertThat(first.calls().get(1).arguments()).isEqualTo("{\"order_id\": \"JD");
        ParsedDelta second = p.feed("1\"}}</tool_call>");
        assertThat(second.calls()).singleElement().satisfies(c -> assertThat(c.arguments()).isEqualTo("1\"}"));
        assertThat(p.finish().isEmpty()).isTrue();
    }

    @Test
    void heldBackTextThatIsNoTagIsReleased() {
        ToolCallParser p = parser();
        assertThat(p.feed("a <to").content()).isEqualTo("a ");
        assertThat(p.feed("y> b").content()).isEqualTo("<toy> b");
        assertThat(p.feed("<").content()).isEmpty();
        assertThat(p.finish().content()).isEqualTo("<");
        assertThat(p.sawToolCall()).isFalse();
    }

    @Test
    void argumentsBeforeNameAndQuotedArguments() {
        Deltas d = Deltas.feedAll(parser(), "<tool_call>{\"arguments\": {\"q\": 1}, \"name\": \"search\"}</tool_call>"
                + "<tool_call>{\"name\": \"get\\u005forder\", \"arguments\": \"{\\\"id\\\": 7}\"}</tool_call>");
        assertThat(d.merged()).extracting(ToolCall::name).containsExactly("search", "get_order");
        assertThat(d.merged()).extracting(ToolCall::arguments).containsExactly("{\"q\": 1}", "{\"id\": 7}");
    }

    @Test
    void aCallWithoutArgumentsGetsAnEmptyObject() {
        assertThat(Deltas.feedAll(parser(), "<tool_call>{\"name\": \"ping\"}</tool_call>").merged())
                .singleElement().satisfies(c -> assertThat(c.arguments()).isEqualTo("{}"));
    }

    @Test
    void notJsonInsideTheTagIsContent() {
        Deltas d = Deltas.feedAll(parser(), "x<tool_call>call get_order(1)</tool_call>");
        assertThat(d.calls).isEmpty();
        assertThat(d.content).hasToString("x<tool_call>call get_order(1)</tool_call>");
    }

    @Test
    void anObjectWithoutNameIsContent() {
        Deltas d = Deltas.feedAll(parser(), "<tool_call>{\"arguments\": {}}</tool_call>");
        assertThat(d.calls).isEmpty();
        assertThat(d.content.toString()).startsWith("<tool_call>{\"arguments\": {}}");
    }

    @Test
    void outputCutInsideACallKeepsWhatWasStreamed() {
        Deltas d = Deltas.feedAll(parser(), "<tool_call>{\"name\": \"f\", \"arguments\": {\"a\": \"long");
        assertThat(d.merged()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("f");
            assertThat(c.arguments()).isEqualTo("{\"a\": \"long");
        });
        Deltas noName = Deltas.feedAll(parser(), "<tool_call>{\"na");
        assertThat(noName.calls).isEmpty();
        assertThat(noName.content).hasToString("<tool_call>{\"na");
    }
}
