package org.sglang4j.engine.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.ReqState;
import org.sglang4j.engine.testing.CharTokenizer;

/** The output stage serves every request: one request whose output cannot be decoded must not take it down. */
class DetokenizerTest {

    @Test
    void anUndecodableOutputAbortsOnlyItsOwnRequest() throws Exception {
        CharTokenizer chars = new CharTokenizer(32);
        Tokenizer strict = new Tokenizer() {
            public int vocabSize() { return 32; }
            public int[] encode(String text, boolean addSpecial, boolean parseSpecial) { return chars.encode(text, addSpecial, parseSpecial); }
            public byte[] tokenBytes(int id) {
                if (id >= 32) throw new IllegalArgumentException("token id " + id + " out of range [0, 32)");
                return chars.tokenBytes(id);
            }
            public String decode(int[] ids, boolean skip) { return chars.decode(ids, skip); }
            public boolean isSpecial(int id) { return tokenBytes(id).length == 0 && chars.isSpecial(id); }
            public int bosId() { return chars.bosId(); }
            public int[] eosIds() { return chars.eosIds(); }
            public String chatTemplate() { return null; }
        };
        Detokenizer detok = new Detokenizer(strict, null);
        Thread thread = Thread.ofPlatform().start(detok);
        List<GenerateOutput> bad = new CopyOnWriteArrayList<>();
        List<GenerateOutput> good = new CopyOnWriteArrayList<>();
        ReqState badState = new ReqState(bad::add, SamplingParams.defaults(), System.nanoTime(), false);
        ReqState goodState = new ReqState(good::add, SamplingParams.defaults(), System.nanoTime(), false);
        // Token 999 is outside the 32-token vocabulary: decoding it throws.
        detok.accept(List.of(output(badState, "bad", new int[] {999}, null),
                output(goodState, "good", new int[] {5, 6}, null)));
        detok.accept(List.of(output(goodState, "good", new int[] {7}, new FinishReason.Length(3))));
        detok.stop();
        thread.join(10_000);

        assertThat(thread.isAlive()).isFalse();
        assertThat(bad).singleElement().satisfies(o -> {
            assertThat(o.finishReason()).isInstanceOfSatisfying(FinishReason.Abort.class,
                    a -> assertThat(a.statusCode()).isEqualTo(500));
        });
        assertThat(good).hasSize(2);
        assertThat(good.get(0).textDelta() + good.get(1).textDelta()).isEqualTo(chars.decode(new int[] {5, 6, 7}, false));
        assertThat(good.get(1).finishReason()).isEqualTo(new FinishReason.Length(3));
    }

    private static TokenIdOutput output(ReqState s, String rid, int[] ids, FinishReason finish) {
        return new TokenIdOutput(s, rid, ids, List.of(), List.of(), finish, 4, ids.length, 0, 0, 0);
    }
}
