package org.sglang4j.core.tokenizer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The set of ids that end generation. Files name one EOS, but chat models stop on their end-of-turn token too
 * (Qwen: {@code <|im_end|>} and {@code <|endoftext|>}; Llama 3: {@code <|eot_id|>}, {@code <|end_of_text|>},
 * {@code <|eom_id|>}). Like llama.cpp, every well-known end-of-turn text present in the vocabulary joins the set.
 */
final class EndOfGeneration {
    private EndOfGeneration() {}

    static final List<String> END_OF_TURN_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>",
            "<|end_of_text|>", "<｜end▁of▁sentence｜>", "<end_of_utterance>");

    /** The file's EOS first, then the other declared ids, then known end-of-turn tokens; no duplicates, no -1. */
    static int[] ids(Vocabulary vocab, int eos, int... declared) {
        Set<Integer> set = new LinkedHashSet<>();
        if (eos >= 0) set.add(eos);
        for (int id : declared) if (id >= 0) set.add(id);
        for (String t : END_OF_TURN_TEXTS) {
            int id = vocab.id(t);
            if (id >= 0 && vocab.type(id) != TokenType.NORMAL) set.add(id);
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }
}
