package org.sglang4j.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sglang4j.core.sampling.Constraint;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.grammar.fsm.ByteDfa;

/**
 * The trie-walk token index against brute force on real vocabularies: from every reachable DFA state (a sample
 * of 150 when there are more), every token id is run byte by byte through the DFA; the mask must allow exactly the
 * text tokens that stay alive, plus EOS exactly in accepting states, and never a special token.
 */
class TokenIndexTest {
    private static final int MAX_STATES = 150;

    static Stream<Arguments> cases() {
        List<Constraint> constraints = List.of(
                new Constraint.JsonSchema(Schemas.TICKET),
                new Constraint.JsonSchema(Schemas.TICKET_CHINESE),
                new Constraint.Regex("(订单|退款)号：[0-9]{4}，状态：(已发货|处理中)"),
                new Constraint.Regex("[😀-😎]{1,3}!"),
                new Constraint.Regex("\\{\"text\": \"[^\"]{0,20}\"\\}"),
                new Constraint.Regex("(?s).{0,3}"),
                new Constraint.JsonObject());
        List<Arguments> out = new ArrayList<>();
        for (String vocab : List.of(Vocabs.QWEN2, Vocabs.LLAMA_SPM, Vocabs.LLAMA_BPE)) {
            for (Constraint c : constraints) out.add(Arguments.of(vocab, c));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maskEqualsBruteForceOverAllTokens(String vocab, Constraint constraint) {
        Tokenizer tok = Vocabs.tokenizer(vocab);
        CompiledGrammar g = Vocabs.compiler(vocab).compile(constraint, Duration.ofSeconds(30));
        ByteDfa dfa = g.dfa();
        List<Integer> states = Dfas.reachable(dfa);
        if (states.size() > MAX_STATES) { // keep the start and every accepting state, sample the rest
            List<Integer> keep = new ArrayList<>(states.stream().filter(s -> s == 0 || dfa.isAccepting(s)).toList());
            List<Integer> rest = new ArrayList<>(states.stream().filter(s -> s != 0 && !dfa.isAccepting(s)).toList());
            Collections.shuffle(rest, new Random(7));
            keep.addAll(rest.subList(0, Math.max(0, Math.min(rest.size(), MAX_STATES - keep.size()))));
            states = keep;
        }
        int n = tok.vocabSize();
        byte[][] bytes = new byte[n][];
        boolean[] eos = new boolean[n], special = new boolean[n];
        for (int t = 0; t < n; t++) {
            bytes[t] = tok.tokenBytes(t);
            special[t] = tok.isSpecial(t);
        }
        for (int e : tok.eosIds()) eos[e] = true;
        long[] mask = new long[g.maskWords()];
        for (int s : states) {
            g.masks().fill(s, mask, 0);
            boolean anyText = false;
            for (int t = 0; t < n; t++) {
                boolean expected = !eos[t] && !special[t] && bytes[t].length > 0 && dfa.run(s, bytes[t], 0, bytes[t].length) >= 0;
                anyText |= expected;
                boolean actual = (mask[t >>> 6] & (1L << t)) != 0;
                if (!eos[t] && actual != expected) {
                    throw new AssertionError("state " + s + " token " + t + " '" + new String(bytes[t]) + "': mask says " + actual);
                }
            }
            for (int t = 0; t < n; t++) {
                if (!eos[t]) continue;
                boolean expected = dfa.isAccepting(s) || !anyText; // a state no token can continue ends the request
                assertThat((mask[t >>> 6] & (1L << t)) != 0).as("state %d EOS %d", s, t).isEqualTo(expected);
            }
            for (int w = n; w < mask.length * 64; w++) assertThat((mask[w >>> 6] & (1L << w)) != 0).as("bit past vocab").isFalse();
        }
    }
}
