package org.sglang4j.core.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every test vector of every GGUF vocabulary in ../shared/testdata/vocab encodes to exactly the expected ids. */
class GgufVocabVectorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"qwen2-rebuilt", "llama-bpe-rebuilt", "gpt-2", "deepseek-llm", "deepseek-coder", "falcon",
            "mpt", "refact", "starcoder", "llama-spm", "phi-3", "bert-bge"})
    void everyVectorMatches(String name) {
        VocabTestCases cases = VocabTestCases.load(name);
        VocabTokenizer tok = VocabTestCases.tokenizer(name);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.inputs().size(); i++) {
            String text = cases.inputs().get(i);
            int[] got = tok.encode(text, false, false);
            if (!Arrays.equals(got, cases.expected().get(i))) {
                failures.add("#" + i + " " + quote(text) + "\n   expected " + Arrays.toString(cases.expected().get(i))
                        + "\n   got      " + Arrays.toString(got));
            }
        }
        assertThat(failures).as(name).isEmpty();
        assertThat(cases.inputs()).hasSizeGreaterThanOrEqualTo(46);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\n') sb.append("\\n"); else if (c == '\t') sb.append("\\t"); else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
