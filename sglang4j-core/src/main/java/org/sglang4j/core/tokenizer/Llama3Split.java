package org.sglang4j.core.tokenizer;

/**
 * Hand-written scanner for the Llama 3 / Qwen2 pre-tokenizer regex ({@link PreTokenizer#LLAMA3},
 * {@link PreTokenizer#QWEN2}; they differ only in how many digits form one piece):
 * <pre>
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*
 *   |\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 * The alternatives are tried in order at each position exactly as a backtracking engine would; the comments give
 * the alternative each branch implements. Equality with {@link RegexSplit} is a property test.
 */
record Llama3Split(int maxDigits) implements PreTokenizer {

    Llama3Split {
        if (maxDigits < 1) throw new IllegalArgumentException("maxDigits must be >= 1, got " + maxDigits);
    }

    @Override
    public void split(String text, int from, int to, PieceSink sink) {
        int i = from;
        while (i < to) {
            int end = matchAt(text, i, to);
            sink.piece(i, end);
            i = end;
        }
    }

    private int matchAt(String s, int i, int to) {
        int c = s.codePointAt(i);
        int cn = Character.charCount(c);
        if (c == '\'') { // (?i:'s|'t|...)
            int n = Gpt2Split.contraction(s, i, to, true);
            if (n > 0) return i + n;
        }
        byte kc = UnicodeClass.of(c);
        if (kc == UnicodeClass.LETTER) return Gpt2Split.run(s, i, to, UnicodeClass.LETTER); // \p{L}+
        if (kc != UnicodeClass.NUMBER && c != '\r' && c != '\n' && i + cn < to
                && UnicodeClass.isLetter(s.codePointAt(i + cn))) { // [^\r\n\p{L}\p{N}]\p{L}+
            return Gpt2Split.run(s, i + cn, to, UnicodeClass.LETTER);
        }
        if (kc == UnicodeClass.NUMBER) { // \p{N}{1,maxDigits}
            int k = i, n = 0;
            while (k < to && n < maxDigits) {
                int d = s.codePointAt(k);
                if (!UnicodeClass.isNumber(d)) break;
                k += Character.charCount(d);
                n++;
            }
            return k;
        }
        int punct = -1; // start of the [^\s\p{L}\p{N}]+ run, if " ?[^\s\p{L}\p{N}]+" applies
        if (kc == UnicodeClass.OTHER) {
            punct = i;
        } else if (c == ' ' && i + 1 < to && UnicodeClass.of(s.codePointAt(i + 1)) == UnicodeClass.OTHER) {
            punct = i + 1;
        }
        if (punct >= 0) { // " ?[^\s\p{L}\p{N}]+[\r\n]*"
            int k = Gpt2Split.run(s, punct, to, UnicodeClass.OTHER);
            while (k < to && (s.charAt(k) == '\r' || s.charAt(k) == '\n')) k++;
            return k;
        }
        // c is whitespace here. "\s*[\r\n]+": up to and including the last line break of the whitespace run.
        int k = i, lastBreak = -1;
        while (k < to) {
            int w = s.codePointAt(k);
            if (!UnicodeClass.isSpace(w)) break;
            if (w == '\r' || w == '\n') lastBreak = k;
            k += Character.charCount(w);
        }
        if (lastBreak >= 0) return lastBreak + 1;
        return Gpt2Split.whitespace(s, i, to); // \s+(?!\S)|\s+
    }
}
