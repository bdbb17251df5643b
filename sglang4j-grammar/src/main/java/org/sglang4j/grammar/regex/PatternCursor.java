package org.sglang4j.grammar.regex;

import org.sglang4j.grammar.GrammarException;

/** Position in pattern text, shared by {@link RegexParser} and {@link ClassParser}; errors quote the pattern. */
final class PatternCursor {
    final String src;
    int pos;

    PatternCursor(String src) {
        this.src = src;
    }

    boolean atEnd() { return pos >= src.length(); }

    char peek() { return src.charAt(pos); }

    boolean startsWith(String s) { return src.startsWith(s, pos); }

    boolean eat(char c) {
        if (!atEnd() && src.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    int nextCodePoint() {
        int cp = src.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    GrammarException error(String message) {
        return errorAt(pos, message);
    }

    GrammarException errorAt(int at, String message) {
        String shown = src.length() <= 200 ? src : src.substring(Math.max(0, at - 60), Math.min(src.length(), at + 60));
        return new GrammarException("invalid regex at position " + at + ": " + message + " (in '" + shown.replace("\n", "\\n") + "')");
    }
}
