package org.sglang4j.bench.multiturn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives the conversations against one target: every conversation on its own virtual thread, turn after turn
 * (turn n+1 needs turn n's reply), all conversations at once. Turn {@code t} sends
 * {@code system + (user_0 + reply_0) + … + user_t} and generates {@code replyTokens}.
 */
final class MultiTurnRunner {
    private MultiTurnRunner() {}

    /** All turn results of one run, plus its wall time. */
    record Run(String target, List<ChatTarget.TurnResult> turns, double wallSeconds, double reportedHitRate) {}

    static Run run(ChatTarget target, Conversations conv, int replyTokens) throws Exception {
        long start = System.nanoTime();
        List<ChatTarget.TurnResult> all = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<ChatTarget.TurnResult>>> futures = new ArrayList<>();
            for (int c = 0; c < conv.conversations(); c++) {
                int conversation = c;
                futures.add(ex.submit(() -> converse(target, conv, conversation, replyTokens)));
            }
            for (var f : futures) all.addAll(f.get());
        }
        double wall = (System.nanoTime() - start) / 1e9;
        return new Run(target.name(), all, wall, target.reportedCacheHitRate());
    }

    private static List<ChatTarget.TurnResult> converse(ChatTarget target, Conversations conv, int c, int replyTokens)
            throws Exception {
        int[] history = conv.system();
        List<ChatTarget.TurnResult> results = new ArrayList<>();
        for (int t = 0; t < conv.turns(); t++) {
            int[] prompt = concat(history, conv.userTurns()[c][t]);
            ChatTarget.TurnResult r = target.send("conv" + c + "-turn" + t, prompt, replyTokens);
            results.add(r);
            history = concat(prompt, r.output());
        }
        return results;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
