package org.sglang4j.server.openai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.sglang4j.server.http.Json;

/**
 * Whatever the chunking, streaming gives exactly the content and calls the output was built from: random contents
 * and calls (arguments with braces, quotes, escapes and tag text inside strings) are assembled into model output,
 * cut at random points, and fed delta by delta.
 */
class StreamingSplitTest {

    record Call(String name, String args) {}

    record Output(List<String> texts, List<Call> calls) {}

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("ab <>{}\"_/:;订单\n").ofMaxLength(12)
                .filter(t -> !t.contains("<tool_call>") && !t.contains("</tool_call>"));
    }

    @Provide
    Arbitrary<String> args() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab{}[]\"\\</>:,订 ").ofMaxLength(8).map(Json::write),
                Arbitraries.integers().between(-5, 500).map(String::valueOf),
                Arbitraries.of("true", "null", "[1, {\"k\": \"}\"}]", "{\"n\": {\"m\": []}}", "\"</tool_call>\""));
        return Arbitraries.maps(Arbitraries.strings().withChars("xyz_").ofMinLength(1).ofMaxLength(4), value)
                .ofMaxSize(3).map(m -> {
                    StringBuilder sb = new StringBuilder("{");
                    m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
                    return sb.append('}').toString();
                });
    }

    @Provide
    Arbitrary<Output> hermesOutput() {
        Arbitrary<Call> call = Combinators.combine(Arbitraries.strings().withChars("abc_").ofMinLength(1).ofMaxLength(6), args())
                .as(Call::new);
        return call.list().ofMaxSize(3).flatMap(calls -> text().list().ofSize(calls.size() + 1)
                .map(texts -> new Output(texts, calls)));
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 400).list().ofMaxSize(25);
    }

    static List<String> split(String s, List<Integer> cuts) {
        List<Integer> at = new ArrayList<>(cuts.stream().map(c -> Math.min(c, s.length())).sorted().toList());
        List<String> pieces = new ArrayList<>();
        int prev = 0;
        for (int c : at) {
            pieces.add(s.substring(prev, c));
            prev = c;
        }
        pieces.add(s.substring(prev));
        return pieces;
    }

    @Property(tries = 400)
    void hermesStreamingMatchesWhatWasGenerated(@ForAll("hermesOutput") Output o, @ForAll("cuts") List<Integer> cuts) {
        StringBuilder sb = new StringBuilder(o.texts().getFirst());
        for (int i = 0; i < o.calls().size(); i++) {
            Call c = o.calls().get(i);
            sb.append("<tool_call>\n{\"name\": \"").append(c.name()).append("\", \"arguments\": ").append(c.args())
                    .append("}\n</tool_call>").append(o.texts().get(i + 1));
        }
        Deltas d = Deltas.feed(new HermesToolCallParser(ToolCallParser.randomIds()), split(sb.toString(), cuts));
        assertThat(d.content).hasToString(String.join("", o.texts()));
        assertThat(d.merged()).extracting(ToolCall::name).containsExactlyElementsOf(o.calls().stream().map(Call::name).toList());
        assertThat(d.merged()).extracting(ToolCall::arguments).containsExactlyElementsOf(o.calls().stream().map(Call::args).toList());
    }

    @Property(tries = 300)
    void llama3StreamingMatchesWhatWasGenerated(@ForAll("hermesOutput") Output o, @ForAll("cuts") List<Integer> cuts,
                                               @ForAll boolean pythonTag) {
        if (o.calls().isEmpty()) return;
        StringBuilder sb = new StringBuilder(pythonTag ? "<|python_tag|>" : "");
        for (Call c : o.calls()) {
            if (sb.length() > (pythonTag ? 14 : 0)) sb.append("; ");
            sb.append("{\"name\": \"").append(c.name()).append("\", \"parameters\": ").append(c.args()).append('}');
        }
        Deltas d = Deltas.feed(new Llama3ToolCallParser(ToolCallParser.randomIds()), split(sb.toString(), cuts));
        assertThat(d.content).isEmpty();
        assertThat(d.merged()).extracting(ToolCall::arguments).containsExactlyElementsOf(o.calls().stream().map(Call::args).toList());
    }
}
