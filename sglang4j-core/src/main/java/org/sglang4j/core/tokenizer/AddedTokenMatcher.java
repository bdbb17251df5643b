package org.sglang4j.core.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds added tokens in text, leftmost-longest (Hugging Face's order), and hands the caller alternating plain-text
 * stretches and token ids. Text never contains most first characters of added tokens, so the scan is a table
 * look-up per char.
 */
final class AddedTokenMatcher {

    interface Sink {
        void text(int start, int end);

        void token(int id);
    }

    private final Map<Character, AddedToken[]> byFirstChar = new HashMap<>();
    private final boolean[] isFirstChar = new boolean[65536];
    private final boolean any;

    AddedTokenMatcher(List<AddedToken> tokens) {
        Map<Character, List<AddedToken>> lists = new HashMap<>();
        for (AddedToken t : tokens) lists.computeIfAbsent(t.content().charAt(0), k -> new ArrayList<>()).add(t);
        for (var e : lists.entrySet()) {
            List<AddedToken> l = e.getValue();
            l.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed());
            byFirstChar.put(e.getKey(), l.toArray(AddedToken[]::new));
            isFirstChar[e.getKey()] = true;
        }
        any = !tokens.isEmpty();
    }

    void split(String text, boolean parseSpecial, Sink sink) {
        int n = text.length();
        int segStart = 0;
        int i = 0;
        while (any && i < n) {
            char c = text.charAt(i);
            AddedToken hit = isFirstChar[c] ? longestAt(text, i, segStart, parseSpecial) : null;
            if (hit == null) {
                i++;
                continue;
            }
            int s = i, e = i + hit.content().length();
            if (hit.lstrip()) while (s > segStart && UnicodeClass.isWhiteSpaceProperty(text.charAt(s - 1))) s--;
            if (hit.rstrip()) while (e < n && UnicodeClass.isWhiteSpaceProperty(text.charAt(e))) e++;
            if (s > segStart) sink.text(segStart, s);
            sink.token(hit.id());
            segStart = i = e;
        }
        if (segStart < n) sink.text(segStart, n);
    }

    private AddedToken longestAt(String text, int i, int segStart, boolean parseSpecial) {
        for (AddedToken t : byFirstChar.get(text.charAt(i))) {
            if (t.special() && !parseSpecial) continue;
            String s = t.content();
            if (!text.startsWith(s, i)) continue;
            if (t.singleWord() && (isWordChar(text, i - 1) || isWordChar(text, i + s.length()))) continue;
            return t;
        }
        return null;
    }

    private static boolean isWordChar(String text, int i) {
        if (i < 0 || i >= text.length()) return false;
        char c = text.charAt(i);
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
