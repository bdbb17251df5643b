package org.sglang4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pre-tokenizer regex run with {@link java.util.regex}. The patterns are written the way Hugging Face
 * tokenizer.json files spell them (Oniguruma), so {@code \s} must mean Unicode White_Space: compiled with
 * {@link Pattern#UNICODE_CHARACTER_CLASS}. Matching is confined to the piece being split (opaque region bounds),
 * as HF applies each Split to each piece on its own.
 */
record RegexSplit(Pattern pattern) implements PreTokenizer {

    static RegexSplit of(String regex) {
        return new RegexSplit(compile(regex));
    }

    static PreTokenizer sequence(String... regexes) {
        if (regexes.length == 1) return of(regexes[0]);
        List<PreTokenizer> steps = new ArrayList<>();
        for (String r : regexes) steps.add(of(r));
        return new SplitSequence(steps);
    }

    static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("pre-tokenizer regex does not compile: " + regex, e);
        }
    }

    @Override
    public void split(String text, int from, int to, PieceSink sink) {
        Matcher m = pattern.matcher(text).region(from, to);
        int last = from;
        while (m.find()) {
            int s = m.start(), e = m.end();
            if (s == e) continue; // HF drops empty matches
            if (s > last) sink.piece(last, s);
            sink.piece(s, e);
            last = e;
        }
        if (last < to) sink.piece(last, to);
    }
}
