package org.sglang4j.core.tokenizer;

/**
 * Hand-written scanner for GPT-2's pre-tokenizer regex {@link PreTokenizer#GPT2}:
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}.
 * Same pieces as the regex (checked against {@link RegexSplit} by a property test), no backtracking, no
 * allocation. Every code point is a letter, a number, whitespace or "other", so some alternative always matches.
 */
record Gpt2Split() implements PreTokenizer {

    @Override
    public void split(String text, int from, int to, PieceSink sink) {
        int i = from;
        while (i < to) {
            int end = matchAt(text, i, to);
            sink.piece(i, end);
            i = end;
        }
    }

    private static int matchAt(String s, int i, int to) {
        int c = s.codePointAt(i);
        if (c == '\'') {
            int n = contraction(s, i, to, false);
            if (n > 0) return i + n;
        }
        byte kc = UnicodeClass.of(c);
        if (c == ' ' && i + 1 < to) {
            // " ?X+" prefers taking the space along with the run that follows it.
            int next = s.codePointAt(i + 1);
            byte kn = UnicodeClass.of(next);
            if (kn != UnicodeClass.SPACE) return run(s, i + 1, to, kn);
        }
        if (kc != UnicodeClass.SPACE) return run(s, i, to, kc);
        return whitespace(s, i, to);
    }

    /** {@code \s+(?!\S)|\s+} at a whitespace code point. */
    static int whitespace(String s, int i, int to) {
        int k = i, count = 0, last = i;
        while (k < to) {
            int c = s.codePointAt(k);
            if (!UnicodeClass.isSpace(c)) break;
            last = k;
            k += Character.charCount(c);
            count++;
        }
        if (k == to || count == 1) return k;
        return last; // give the last whitespace back so it can prefix the next word
    }

    /** End of the run of code points of class {@code cls} starting at {@code i}. */
    static int run(String s, int i, int to, byte cls) {
        int k = i;
        while (k < to) {
            int c = s.codePointAt(k);
            if (UnicodeClass.of(c) != cls) break;
            k += Character.charCount(c);
        }
        return k;
    }

    /** Length of {@code 's|'t|'re|'ve|'m|'ll|'d} at {@code i} (optionally ASCII case-insensitive), or 0. */
    static int contraction(String s, int i, int to, boolean ignoreCase) {
        if (i + 1 >= to) return 0;
        char a = s.charAt(i + 1);
        if (ignoreCase) a = toLowerAscii(a);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
        if (i + 2 >= to) return 0;
        char b = s.charAt(i + 2);
        if (ignoreCase) b = toLowerAscii(b);
        if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
        return 0;
    }

    private static char toLowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
