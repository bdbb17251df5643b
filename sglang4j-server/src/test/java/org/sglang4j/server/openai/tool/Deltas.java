package org.sglang4j.server.openai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Feeds text to a parser in pieces and collects the result, checking the streaming contract on the way. */
final class Deltas {

    final StringBuilder content = new StringBuilder();
    final List<ToolCallDelta> calls = new ArrayList<>();

    static Deltas feed(ToolCallParser p, List<String> pieces) {
        Deltas d = new Deltas();
        for (String piece : pieces) d.add(p.feed(piece));
        d.add(p.finish());
        d.checkStreamingContract();
        return d;
    }

    static Deltas feedAll(ToolCallParser p, String text) {
        return feed(p, List.of(text));
    }

    void add(ParsedDelta pd) {
        content.append(pd.content());
        calls.addAll(pd.calls());
    }

    List<ToolCall> merged() {
        return ToolCall.merge(calls);
    }

    /** Each call starts once with an id and a name, indexes count up from 0, and later pieces carry neither. */
    void checkStreamingContract() {
        Map<Integer, Integer> starts = new HashMap<>();
        int next = 0;
        for (ToolCallDelta d : calls) {
            if (d.name() != null) {
                assertThat(d.index()).as("calls start in index order").isEqualTo(next++);
                assertThat(d.id()).startsWith("call_");
                assertThat(d.arguments()).isEmpty();
                starts.merge(d.index(), 1, Integer::sum);
            } else {
                assertThat(d.id()).isNull();
                assertThat(d.index()).isLessThan(next);
                assertThat(d.arguments()).isNotEmpty();
            }
        }
        assertThat(starts.values()).allMatch(n -> n == 1);
    }
}
