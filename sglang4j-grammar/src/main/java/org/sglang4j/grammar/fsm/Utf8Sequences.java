package org.sglang4j.grammar.fsm;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sglang4j.grammar.Deadline;
import org.sglang4j.grammar.regex.CodePointSet;

/**
 * Turns a set of code points into an automaton over bytes (brics chars 0..255) that accepts exactly their UTF-8
 * encodings. Each code-point range is split until every byte position of its encodings is one contiguous byte
 * range (the construction of RE2/Go's UTF-8 range compiler), so {@code [一-龥]} becomes a handful of
 * byte-range sequences instead of 20,000 strings.
 */
final class Utf8Sequences {
    private static final int[] MAX_BY_LENGTH = {0x7F, 0x7FF, 0xFFFF, CodePointSet.MAX};

    private Utf8Sequences() {}

    /**
     * A minimal deterministic byte automaton for {@code set}, built in time linear in its number of ranges: the
     * sequences come out in code-point order, which UTF-8 preserves, so they form a trie whose edges at each node
     * are either the previous edge again or disjoint from it; equal subtries are then shared bottom-up. (brics'
     * general minimization took 40 s, uninterruptibly, for a class of 60,000 ranges.)
     */
    static Automaton automaton(CodePointSet set, Deadline deadline) {
        List<Node> nodes = new ArrayList<>();
        Node root = new Node();
        nodes.add(root);
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < set.rangeCount(); i++) {
            deadline.check("encoding a character class");
            seqs.clear();
            split(set.lo(i), set.hi(i), seqs);
            for (int[] seq : seqs) {
                Node cur = root;
                for (int j = 0; j < seq.length; j += 2) {
                    int[] last = cur.edges.isEmpty() ? null : cur.edges.getLast();
                    if (last != null && last[0] == seq[j] && last[1] == seq[j + 1]) {
                        cur = nodes.get(last[2]);
                    } else {
                        Node next = new Node();
                        cur.edges.add(new int[] {seq[j], seq[j + 1], nodes.size()});
                        nodes.add(next);
                        cur = next;
                    }
                }
                cur.accept = true;
            }
        }
        if (root.edges.isEmpty()) return BasicAutomata.makeEmpty();
        // Share equal subtries: children have higher indices, so one backward pass sees them first.
        Map<String, State> unique = new HashMap<>();
        State[] canonical = new State[nodes.size()];
        for (int n = nodes.size() - 1; n >= 0; n--) {
            Node node = nodes.get(n);
            StringBuilder key = new StringBuilder(node.accept ? "A" : "N");
            for (int[] e : node.edges) key.append(e[0]).append('-').append(e[1]).append('>').append(System.identityHashCode(canonical[e[2]])).append(',');
            State st = unique.get(key.toString());
            if (st == null) {
                st = new State();
                st.setAccept(node.accept);
                for (int[] e : node.edges) st.addTransition(new Transition((char) e[0], (char) e[1], canonical[e[2]]));
                unique.put(key.toString(), st);
            }
            canonical[n] = st;
        }
        Automaton a = new Automaton();
        a.setInitialState(canonical[0]);
        a.setDeterministic(true);
        return a;
    }

    private static final class Node {
        final List<int[]> edges = new ArrayList<>(2); // [lo, hi, child index]
        boolean accept;
    }

    /** Byte-range sequences ({@code [lo1, hi1, lo2, hi2, ...]}) whose union encodes exactly [lo, hi]. */
    static void split(int lo, int hi, List<int[]> out) {
        for (int max : MAX_BY_LENGTH) {
            if (lo <= max && hi > max) {
                split(lo, max, out);
                split(max + 1, hi, out);
                return;
            }
        }
        if (hi <= 0x7F) {
            out.add(new int[] {lo, hi});
            return;
        }
        int n = length(lo);
        for (int i = 1; i < n; i++) {
            int m = (1 << (6 * i)) - 1; // the low i continuation bytes
            if ((lo & ~m) != (hi & ~m)) {
                if ((lo & m) != 0) {
                    split(lo, lo | m, out);
                    split((lo | m) + 1, hi, out);
                    return;
                }
                if ((hi & m) != m) {
                    split(lo, (hi & ~m) - 1, out);
                    split(hi & ~m, hi, out);
                    return;
                }
            }
        }
        byte[] a = encode(lo), b = encode(hi);
        int[] seq = new int[2 * n];
        for (int i = 0; i < n; i++) {
            seq[2 * i] = a[i] & 0xFF;
            seq[2 * i + 1] = b[i] & 0xFF;
        }
        out.add(seq);
    }

    static int length(int cp) {
        return cp <= 0x7F ? 1 : cp <= 0x7FF ? 2 : cp <= 0xFFFF ? 3 : 4;
    }

    static byte[] encode(int cp) {
        return new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
