package org.sglang4j.core.tokenizer;

import java.text.Normalizer;

/**
 * BERT WordPiece (embedding models such as bge): the BERT normalizer (drop control characters, lowercase, strip
 * accents, isolate CJK ideographs), a split on whitespace and punctuation, then greedy longest-match-first pieces
 * per word; a word that cannot be spelled becomes {@code [UNK]}. GGUF files mark word-initial pieces with a
 * {@code ▁} prefix ({@code wordPrefix}); HF files mark continuations with {@code ##} ({@code continuationPrefix}).
 */
record WordPiece(Vocabulary vocab, int unk, String wordPrefix, String continuationPrefix, boolean lowercase,
                 int maxTokenChars) implements TokenizerModel {

    private static final int MAX_WORD_CHARS = 100; // HF max_input_chars_per_word

    static WordPiece of(Vocabulary vocab, int unk, String wordPrefix, String continuationPrefix, boolean lowercase) {
        int max = 0;
        for (int i = 0; i < vocab.size(); i++) max = Math.max(max, vocab.text(i).length());
        return new WordPiece(vocab, unk, wordPrefix, continuationPrefix, lowercase, max);
    }

    @Override
    public void encode(String text, int start, int end, boolean firstSegment, IdBuffer out, EncodeScratch scratch) {
        String normalized = normalize(text.substring(start, end));
        int n = normalized.length();
        int i = 0;
        while (i < n) {
            int cp = normalized.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp == ' ') {
                i += len;
                continue;
            }
            if (isPunctuation(cp)) {
                encodeWord(normalized.substring(i, i + len), out);
                i += len;
                continue;
            }
            int j = i;
            while (j < n) {
                int c = normalized.codePointAt(j);
                if (c == ' ' || isPunctuation(c)) break;
                j += Character.charCount(c);
            }
            encodeWord(normalized.substring(i, j), out);
            i = j;
        }
    }

    private void encodeWord(String word, IdBuffer out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unk);
            return;
        }
        int[] found = new int[word.length()];
        int count = 0;
        int i = 0;
        while (i < word.length()) {
            String prefix = i == 0 ? wordPrefix : continuationPrefix;
            int id = -1, end = -1;
            for (int j = Math.min(word.length(), i + maxTokenChars); j > i; j--) {
                if (j < word.length() && Character.isLowSurrogate(word.charAt(j))
                        && Character.isHighSurrogate(word.charAt(j - 1))) {
                    continue; // never cut a surrogate pair
                }
                id = vocab.id(prefix + word.substring(i, j));
                if (id >= 0) {
                    end = j;
                    break;
                }
            }
            if (id < 0) {
                out.add(unk);
                return;
            }
            found[count++] = id;
            i = end;
        }
        for (int k = 0; k < count; k++) out.add(found[k]);
    }

    /** BERT's normalizer plus the CJK and whitespace handling, producing words separated by single spaces. */
    private String normalize(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        String base = lowercase ? stripAccents(s.toLowerCase(java.util.Locale.ROOT)) : s;
        for (int i = 0; i < base.length(); ) {
            int cp = base.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) continue;
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else if (isChinese(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    private static String stripAccents(String s) {
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED || t == Character.PRIVATE_USE;
    }

    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    @Override
    public boolean stripsLeadingSpace() { return true; }
}
