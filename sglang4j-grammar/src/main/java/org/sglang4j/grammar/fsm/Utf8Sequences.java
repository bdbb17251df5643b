package org.sglang4j.grammar.fsm;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.BasicOperations;
import java.util.ArrayList;
import java.util.List;
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

    /** A minimal deterministic byte automaton for {@code set}. */
    static Automaton automaton(CodePointSet set) {
        List<int[]> seqs = new ArrayList<>();
        for (int i = 0; i < set.rangeCount(); i++) split(set.lo(i), set.hi(i), seqs);
        if (seqs.isEmpty()) return BasicAutomata.makeEmpty();
        List<Automaton> options = new ArrayList<>(seqs.size());
        for (int[] seq : seqs) {
            List<Automaton> bytes = new ArrayList<>(seq.length / 2);
            for (int i = 0; i < seq.length; i += 2) bytes.add(BasicAutomata.makeCharRange((char) seq[i], (char) seq[i + 1]));
            options.add(BasicOperations.concatenate(bytes));
        }
        Automaton a = BasicOperations.union(options);
        a.minimize();
        return a;
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
