package org.sglang4j.grammar;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.sglang4j.grammar.fsm.ByteDfa;
import org.sglang4j.grammar.fsm.NfaBuilder;
import org.sglang4j.grammar.fsm.SubsetConstruction;
import org.sglang4j.grammar.regex.Regex;
import org.sglang4j.grammar.regex.RegexParser;

/** Test-side access to the regex → byte DFA pipeline, without a tokenizer. */
final class Dfas {
    private Dfas() {}

    static ByteDfa of(String pattern) {
        return of(RegexParser.parse(pattern));
    }

    static ByteDfa of(Regex r) {
        return SubsetConstruction.minimalDfa(NfaBuilder.build(r, Deadline.none(), 4_000_000), Deadline.none(), 1_000_000);
    }

    static boolean accepts(ByteDfa dfa, String s) {
        return accepts(dfa, s.getBytes(StandardCharsets.UTF_8));
    }

    static boolean accepts(ByteDfa dfa, byte[] b) {
        int st = dfa.run(0, b, 0, b.length);
        return st >= 0 && dfa.isAccepting(st);
    }

    /** A random accepted string: random live bytes, stopping in accepting states with probability 1/3. */
    static byte[] sample(ByteDfa dfa, Random random, int maxBytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int s = 0;
        List<Integer> options = new ArrayList<>();
        while (true) {
            options.clear();
            for (int b = 0; b < 256; b++) if (dfa.step(s, b) >= 0) options.add(b);
            if (dfa.isAccepting(s) && (options.isEmpty() || random.nextInt(3) == 0 || out.size() >= maxBytes)) return out.toByteArray();
            if (options.isEmpty()) throw new AssertionError("dead end in a trimmed DFA at state " + s);
            int b = out.size() >= maxBytes ? shortest(dfa, s) : options.get(random.nextInt(options.size()));
            out.write(b);
            s = dfa.step(s, b);
        }
    }

    /** First byte of a shortest path to acceptance (so samples stay short once the cap is reached). */
    private static int shortest(ByteDfa dfa, int from) {
        int[] firstByte = new int[dfa.numStates()];
        java.util.Arrays.fill(firstByte, -1);
        ArrayDeque<Integer> q = new ArrayDeque<>();
        boolean[] seen = new boolean[dfa.numStates()];
        seen[from] = true;
        q.add(from);
        while (!q.isEmpty()) {
            int s = q.poll();
            if (dfa.isAccepting(s) && s != from) return firstByte[s];
            for (int b = 0; b < 256; b++) {
                int t = dfa.step(s, b);
                if (t >= 0 && !seen[t]) {
                    seen[t] = true;
                    firstByte[t] = s == from ? b : firstByte[s];
                    q.add(t);
                }
            }
        }
        throw new AssertionError("no accepting state reachable from " + from);
    }

    /** All states reachable from the start. */
    static List<Integer> reachable(ByteDfa dfa) {
        boolean[] seen = new boolean[dfa.numStates()];
        List<Integer> out = new ArrayList<>();
        ArrayDeque<Integer> q = new ArrayDeque<>(List.of(0));
        seen[0] = true;
        while (!q.isEmpty()) {
            int s = q.poll();
            out.add(s);
            for (int b = 0; b < 256; b++) {
                int t = dfa.step(s, b);
                if (t >= 0 && !seen[t]) {
                    seen[t] = true;
                    q.add(t);
                }
            }
        }
        return out;
    }
}
