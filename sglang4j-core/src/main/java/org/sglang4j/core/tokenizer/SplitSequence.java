package org.sglang4j.core.tokenizer;

import java.util.List;

/** Pre-tokenizers applied in turn, each one splitting the pieces of the one before (HF {@code Sequence}). */
record SplitSequence(List<PreTokenizer> steps) implements PreTokenizer {
    SplitSequence {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) throw new IllegalArgumentException("empty pre-tokenizer sequence");
    }

    @Override
    public void split(String text, int from, int to, PieceSink sink) {
        splitFrom(0, text, from, to, sink);
    }

    private void splitFrom(int step, String text, int from, int to, PieceSink sink) {
        if (step == steps.size()) {
            sink.piece(from, to);
        } else {
            steps.get(step).split(text, from, to, (s, e) -> splitFrom(step + 1, text, s, e, sink));
        }
    }
}
