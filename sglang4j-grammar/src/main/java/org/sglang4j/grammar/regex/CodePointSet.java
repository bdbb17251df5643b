package org.sglang4j.grammar.regex;

import java.util.Arrays;

/**
 * An immutable set of Unicode scalar values (code points 0..0x10FFFF without the surrogates U+D800..U+DFFF, which
 * UTF-8 cannot encode) stored as sorted, disjoint, non-adjacent inclusive ranges.
 */
public final class CodePointSet {
    public static final int MAX = 0x10FFFF;
    static final int SURROGATE_MIN = 0xD800;
    static final int SURROGATE_MAX = 0xDFFF;

    public static final CodePointSet EMPTY = new CodePointSet(new int[0]);
    /** Every scalar value. */
    public static final CodePointSet ANY = ofRanges(0, MAX);

    private final int[] ranges; // [lo0, hi0, lo1, hi1, ...]

    private CodePointSet(int[] ranges) {
        this.ranges = ranges;
    }

    public static CodePointSet of(int codePoint) {
        return ofRanges(codePoint, codePoint);
    }

    public static CodePointSet range(int lo, int hi) {
        return ofRanges(lo, hi);
    }

    /** Characters of {@code chars} (a string of single code points). */
    public static CodePointSet ofChars(String chars) {
        return ofRanges(chars.codePoints().flatMap(c -> java.util.stream.IntStream.of(c, c)).toArray());
    }

    /** Normalizes unsorted, possibly overlapping pairs {@code lo, hi, lo, hi, ...}; surrogates are dropped. */
    public static CodePointSet ofRanges(int... pairs) {
        int n = pairs.length / 2;
        if (pairs.length % 2 != 0) throw new IllegalArgumentException("ranges come in lo,hi pairs");
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            int lo = pairs[2 * i], hi = pairs[2 * i + 1];
            if (lo < 0 || hi > MAX || lo > hi) throw new IllegalArgumentException("bad code point range " + lo + ".." + hi);
            packed[i] = ((long) lo << 32) | hi;
        }
        Arrays.sort(packed);
        int[] out = new int[2 * n + 2];
        int m = 0;
        for (long p : packed) {
            int lo = (int) (p >>> 32), hi = (int) p;
            if (m > 0 && lo <= out[m - 1] + 1) {
                out[m - 1] = Math.max(out[m - 1], hi);
            } else {
                out[m++] = lo;
                out[m++] = hi;
            }
        }
        return new CodePointSet(removeSurrogates(Arrays.copyOf(out, m)));
    }

    private static int[] removeSurrogates(int[] r) {
        int[] out = new int[r.length + 2];
        int m = 0;
        for (int i = 0; i < r.length; i += 2) {
            int lo = r[i], hi = r[i + 1];
            if (hi < SURROGATE_MIN || lo > SURROGATE_MAX) {
                out[m++] = lo;
                out[m++] = hi;
                continue;
            }
            if (lo < SURROGATE_MIN) {
                out[m++] = lo;
                out[m++] = SURROGATE_MIN - 1;
            }
            if (hi > SURROGATE_MAX) {
                out[m++] = SURROGATE_MAX + 1;
                out[m++] = hi;
            }
        }
        return Arrays.copyOf(out, m);
    }

    public int rangeCount() { return ranges.length / 2; }

    public int lo(int i) { return ranges[2 * i]; }

    public int hi(int i) { return ranges[2 * i + 1]; }

    public boolean isEmpty() { return ranges.length == 0; }

    /** The one code point if this set has exactly one, else -1. */
    public int single() {
        return ranges.length == 2 && ranges[0] == ranges[1] ? ranges[0] : -1;
    }

    public boolean contains(int cp) {
        int lo = 0, hi = rangeCount() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) hi = mid - 1;
            else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    public long size() {
        long s = 0;
        for (int i = 0; i < ranges.length; i += 2) s += ranges[i + 1] - ranges[i] + 1;
        return s;
    }

    public CodePointSet union(CodePointSet o) {
        int[] all = Arrays.copyOf(ranges, ranges.length + o.ranges.length);
        System.arraycopy(o.ranges, 0, all, ranges.length, o.ranges.length);
        return ofRanges(all);
    }

    /** All scalar values not in this set. */
    public CodePointSet complement() {
        int[] out = new int[ranges.length + 2];
        int m = 0, next = 0;
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] > next) {
                out[m++] = next;
                out[m++] = ranges[i] - 1;
            }
            next = ranges[i + 1] + 1;
        }
        if (next <= MAX) {
            out[m++] = next;
            out[m++] = MAX;
        }
        return new CodePointSet(removeSurrogates(Arrays.copyOf(out, m)));
    }

    public CodePointSet minus(CodePointSet o) {
        return intersect(o.complement());
    }

    public CodePointSet intersect(CodePointSet o) {
        int[] out = new int[ranges.length + o.ranges.length];
        int m = 0, i = 0, j = 0;
        while (i < ranges.length && j < o.ranges.length) {
            int lo = Math.max(ranges[i], o.ranges[j]), hi = Math.min(ranges[i + 1], o.ranges[j + 1]);
            if (lo <= hi) {
                out[m++] = lo;
                out[m++] = hi;
            }
            if (ranges[i + 1] < o.ranges[j + 1]) i += 2;
            else j += 2;
        }
        return new CodePointSet(Arrays.copyOf(out, m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodePointSet s && Arrays.equals(ranges, s.ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    @Override
    public String toString() {
        return RegexPrinter.printSet(this);
    }
}
