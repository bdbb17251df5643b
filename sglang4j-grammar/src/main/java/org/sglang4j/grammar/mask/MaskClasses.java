package org.sglang4j.grammar.mask;

import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.fsm.ByteDfa;

/**
 * Groups DFA states that no token of at most {@code depth} bytes can tell apart: Moore's partition refinement
 * stopped after {@code depth} rounds, so two states share a class exactly when the same byte strings of length
 * ≤ depth keep the automaton alive from both. Such states have the same mask of short tokens, which is then
 * computed once per class. This matters for counted repetition: the 200 states of {@code "[^"]{0,200}"} fall
 * into about {@code depth} classes, so a long string value no longer walks the vocabulary trie at every token.
 */
final class MaskClasses {
    private MaskClasses() {}

    /** {@code classOf[state]}, numbered from 0. */
    static int[] of(ByteDfa dfa, int depth, Deadline deadline) {
        int n = dfa.numStates(), k = dfa.numClasses();
        int[] repByte = new int[k];
        for (int b = 255; b >= 0; b--) repByte[dfa.classTable()[b]] = b;
        int[] cls = new int[n]; // round 0: every state is live
        int count = 1;
        for (int round = 0; round < depth; round++) {
            Map<IntBuffer, Integer> ids = new HashMap<>(Math.max(16, count * 2));
            int[] next = new int[n];
            for (int s = 0; s < n; s++) {
                deadline.check("grouping states for token masks");
                int[] sig = new int[k + 1];
                sig[0] = cls[s];
                for (int c = 0; c < k; c++) {
                    int t = dfa.step(s, repByte[c]);
                    sig[c + 1] = t < 0 ? -1 : cls[t];
                }
                next[s] = ids.computeIfAbsent(IntBuffer.wrap(sig), x -> ids.size());
            }
            cls = next;
            if (ids.size() == count) break; // stable: further rounds split nothing
            count = ids.size();
        }
        return cls;
    }
}
