package org.sglang4j.grammar.fsm;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.GrammarException;

/**
 * Determinizes a brics byte automaton by the subset construction, then hands it to {@link Minimizer}. Written
 * here rather than calling brics' {@code determinize()} because the number of subsets can grow exponentially
 * ({@code [ab]*a[ab]{30}}): this loop checks the deadline and a state limit on every new state, so such a grammar
 * fails fast instead of filling the heap.
 */
public final class SubsetConstruction {
    private SubsetConstruction() {}

    /** The minimal DFA of {@code nfa}; throws {@link GrammarException} if it matches nothing or is too large. */
    public static ByteDfa minimalDfa(Automaton nfa, Deadline deadline, int maxStates) {
        Nfa n = Nfa.of(nfa);
        List<int[]> rows = new ArrayList<>(); // per DFA state: [lo, hi, target, ...]
        List<Boolean> accepting = new ArrayList<>();
        Map<Key, Integer> ids = new HashMap<>();
        List<int[]> sets = new ArrayList<>();
        int[] start = {0};
        ids.put(new Key(start), 0);
        sets.add(start);
        int[] points = new int[64];
        int[] dests = new int[64];
        for (int i = 0; i < sets.size(); i++) {
            deadline.check("determinizing the automaton");
            int[] members = sets.get(i);
            boolean acc = false;
            int np = 0;
            for (int s : members) {
                acc |= n.accept[s];
                int[] t = n.trans[s];
                if (np + t.length > points.length) points = Arrays.copyOf(points, Math.max(points.length * 2, np + t.length));
                for (int j = 0; j < t.length; j += 3) {
                    points[np++] = t[j];
                    points[np++] = t[j + 1] + 1;
                }
            }
            accepting.add(acc);
            Arrays.sort(points, 0, np);
            int[] row = new int[0];
            int rowLen = 0;
            for (int p = 0; p < np; p++) {
                if (p > 0 && points[p] == points[p - 1]) continue;
                int lo = points[p];
                int q = p + 1;
                while (q < np && points[q] == lo) q++;
                if (q >= np) break;
                int hi = points[q] - 1;
                int nd = 0;
                for (int s : members) {
                    int[] t = n.trans[s];
                    for (int j = 0; j < t.length; j += 3) {
                        if (t[j] <= lo && lo <= t[j + 1]) {
                            if (nd == dests.length) dests = Arrays.copyOf(dests, nd * 2);
                            dests[nd++] = t[j + 2];
                        }
                    }
                }
                if (nd == 0) continue;
                int[] target = distinctSorted(dests, nd);
                Integer id = ids.get(new Key(target));
                if (id == null) {
                    id = sets.size();
                    if (id >= maxStates) throw tooLarge(maxStates);
                    ids.put(new Key(target), id);
                    sets.add(target);
                }
                if (rowLen > 0 && row[rowLen - 1] == id && row[rowLen - 2] == lo - 1) {
                    row[rowLen - 2] = hi; // extend the previous interval
                } else {
                    if (rowLen + 3 > row.length) row = Arrays.copyOf(row, Math.max(6, row.length * 2));
                    row[rowLen++] = lo;
                    row[rowLen++] = hi;
                    row[rowLen++] = id;
                }
            }
            rows.add(Arrays.copyOf(row, rowLen));
        }
        boolean[] acc = new boolean[accepting.size()];
        for (int i = 0; i < acc.length; i++) acc[i] = accepting.get(i);
        return Minimizer.minimize(rows, acc, deadline);
    }

    static GrammarException tooLarge(int maxStates) {
        return new GrammarException("grammar too complex: its DFA exceeds " + maxStates + " states; patterns such as "
                + "[ab]*a[ab]{30} grow exponentially when determinized, so bound or simplify them");
    }

    private static int[] distinctSorted(int[] a, int n) {
        int[] c = Arrays.copyOf(a, n);
        Arrays.sort(c);
        int m = 0;
        for (int i = 0; i < n; i++) if (m == 0 || c[i] != c[m - 1]) c[m++] = c[i];
        return m == n ? c : Arrays.copyOf(c, m);
    }

    private record Key(int[] set) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(set, k.set);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(set);
        }
    }

    /** The brics automaton as arrays: state 0 is the start; {@code trans[s] = [min, max, dest, ...]}. */
    private record Nfa(int[][] trans, boolean[] accept) {
        static Nfa of(Automaton a) {
            Map<State, Integer> ids = new IdentityHashMap<>();
            List<State> order = new ArrayList<>();
            ArrayDeque<State> queue = new ArrayDeque<>();
            State init = a.getInitialState();
            ids.put(init, 0);
            order.add(init);
            queue.add(init);
            while (!queue.isEmpty()) {
                for (Transition t : queue.poll().getTransitions()) {
                    if (ids.putIfAbsent(t.getDest(), order.size()) == null) {
                        order.add(t.getDest());
                        queue.add(t.getDest());
                    }
                }
            }
            int[][] trans = new int[order.size()][];
            boolean[] accept = new boolean[order.size()];
            for (int i = 0; i < order.size(); i++) {
                State s = order.get(i);
                accept[i] = s.isAccept();
                int[] t = new int[s.getTransitions().size() * 3];
                int k = 0;
                for (Transition tr : s.getTransitions()) {
                    if (tr.getMax() > 0xFF) throw new IllegalStateException("byte automaton has char " + (int) tr.getMax());
                    t[k++] = tr.getMin();
                    t[k++] = tr.getMax();
                    t[k++] = ids.get(tr.getDest());
                }
                trans[i] = t;
            }
            return new Nfa(trans, accept);
        }
    }
}
