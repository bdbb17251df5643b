package org.sglang4j.bench.serving;

import java.util.List;
import org.sglang4j.bench.workload.Conversation;

/**
 * One workload of a serving run: the conversations and how they are sent.
 *
 * @param requestRate    conversations per second (Poisson), infinity = all at once
 * @param maxConcurrency conversations in flight at most, 0 = unlimited
 * @param jsonSchema     constrain outputs to this schema, or null
 * @param ignoreEos      generate exactly the requested lengths (ignored when constrained)
 */
public record ServingWorkload(String name, String dataset, List<Conversation> conversations, double requestRate,
                              int maxConcurrency, String jsonSchema, boolean ignoreEos) {

    public int requests() {
        return conversations.stream().mapToInt(c -> c.turns().size()).sum();
    }
}
