package org.sglang4j.bench.multiturn;

import java.util.Random;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * The customer-service workload of issue 5 as token ids: one shared system prompt, and per conversation a fixed
 * list of user turns. Ids are drawn from the tokenizer's ordinary (non-special) tokens with a fixed seed, so
 * every target sees the same prompts; the assistant replies are whatever each target generates.
 *
 * @param system     shared system prompt ({@code ~350} tokens in the case study)
 * @param userTurns  {@code [conversation][turn]} user messages ({@code ~25} tokens each)
 */
record Conversations(int[] system, int[][][] userTurns) {

    static Conversations generate(Tokenizer tokenizer, int conversations, int turns, int systemTokens,
                                  int userTokens, long seed) {
        Random rnd = new Random(seed);
        int[] system = randomText(tokenizer, rnd, systemTokens);
        int[][][] users = new int[conversations][turns][];
        for (int c = 0; c < conversations; c++) {
            for (int t = 0; t < turns; t++) {
                // ±20% around the mean, like real user messages
                int len = Math.max(1, userTokens + rnd.nextInt(userTokens / 5 * 2 + 1) - userTokens / 5);
                users[c][t] = randomText(tokenizer, rnd, len);
            }
        }
        return new Conversations(system, users);
    }

    private static int[] randomText(Tokenizer tokenizer, Random rnd, int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            int id;
            do {
                id = rnd.nextInt(tokenizer.vocabSize());
            } while (tokenizer.isSpecial(id) || isEos(tokenizer, id));
            ids[i] = id;
        }
        return ids;
    }

    private static boolean isEos(Tokenizer tokenizer, int id) {
        for (int e : tokenizer.eosIds()) if (e == id) return true;
        return false;
    }

    int conversations() {
        return userTurns.length;
    }

    int turns() {
        return userTurns[0].length;
    }
}
