package org.sglang4j.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.sglang4j.bench.TinyModel;
import org.sglang4j.core.tokenizer.Tokenizer;

/** The generated workloads, measured with the real Qwen2 tokenizer. */
class DatasetsTest {
    private static final Tokenizer TOK = TinyModel.qwen2Tokenizer();

    @Property(tries = 25)
    void randomPromptsHaveLengthsInTheRequestedRange(@ForAll @IntRange(min = 1, max = 300) int inputLen,
                                                     @ForAll @IntRange(min = 1, max = 64) int outputLen,
                                                     @ForAll @DoubleRange(min = 0, max = 1) double ratio) {
        List<Conversation> convs = Datasets.random(TOK, 4, inputLen, outputLen, ratio, inputLen);
        assertThat(convs).hasSize(4);
        int lo = Math.max(1, (int) (inputLen * ratio));
        for (Conversation c : convs) {
            Turn t = c.turns().getFirst();
            assertThat(c.chat()).isFalse();
            // the text is cut at a token boundary; re-encoding may merge across the cut by one token
            assertThat(t.inputTokens()).isBetween(lo - 1, inputLen + 1);
            assertThat(t.inputTokens()).isEqualTo(TOK.encode(t.text(), false, true).length);
            assertThat(t.outputLen()).isBetween(Math.max(1, (int) (outputLen * ratio)), outputLen);
        }
    }

    @Test
    void fixedLengthsWithRangeRatioOne() {
        for (Conversation c : Datasets.random(TOK, 20, 128, 32, 1.0, 5)) {
            assertThat(c.turns().getFirst().inputTokens()).isBetween(127, 129);
            assertThat(c.turns().getFirst().outputLen()).isEqualTo(32);
        }
    }

    @Test
    void shareGptLikeMixIsMostlyShortWithALongTail() {
        List<Conversation> convs = Datasets.shareGptLike(TOK, 300, 0, 11);
        int[] in = convs.stream().mapToInt(c -> c.turns().getFirst().inputTokens()).sorted().toArray();
        int[] out = convs.stream().mapToInt(c -> c.turns().getFirst().outputLen()).sorted().toArray();
        assertThat(in[0]).isGreaterThanOrEqualTo(3);
        assertThat(in[in.length - 1]).isLessThanOrEqualTo(2049);
        assertThat(in[in.length / 2]).isBetween(60, 160);
        assertThat(in[in.length * 9 / 10]).as("long tail").isGreaterThan(2 * in[in.length / 2]);
        assertThat(out[out.length / 2]).isBetween(140, 280);
        assertThat(Datasets.shareGptLike(TOK, 5, 17, 1)).allMatch(c -> c.turns().getFirst().outputLen() == 17);
    }

    @Test
    void sameSeedSameWorkload() {
        List<String> a = Datasets.random(TOK, 5, 50, 5, 0.5, 9).stream().map(c -> c.turns().getFirst().text()).toList();
        List<String> b = Datasets.random(TOK, 5, 50, 5, 0.5, 9).stream().map(c -> c.turns().getFirst().text()).toList();
        assertThat(a).isEqualTo(b);
        assertThat(Arrays.asList(a.toArray())).doesNotHaveDuplicates();
    }

    @Test
    void customerServiceConversationsShareTheLongPolicyAndAskFollowUps() {
        int policyTokens = TOK.encode(CustomerServiceDataset.POLICY, false, false).length;
        assertThat(policyTokens).isBetween(270, 340);
        List<Conversation> convs = CustomerServiceDataset.generate(TOK, 3, 10, 64, 1.0, 2);
        for (Conversation c : convs) {
            assertThat(c.chat()).isTrue();
            assertThat(c.systemPrompt()).isEqualTo(CustomerServiceDataset.POLICY);
            assertThat(c.turns()).hasSize(10).allMatch(t -> t.outputLen() == 64);
            assertThat(c.turns().getFirst().text()).containsPattern("order \\d{6}");
        }
        Conversation c = convs.getFirst();
        List<ChatMessage> m = c.messages(2, List.of("A0", "A1"));
        assertThat(m).extracting(ChatMessage::role).containsExactly("system", "user", "assistant", "user", "assistant", "user");
        assertThat(m.get(2).content()).isEqualTo("A0");
        assertThat(m.get(5).content()).isEqualTo(c.turns().get(2).text());
        assertThatThrownBy(() -> c.messages(2, List.of("A0"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chatMlRendersTheQwenTemplateTokens() {
        String text = ChatMl.render(List.of(new ChatMessage("system", "S"), new ChatMessage("user", "U")));
        assertThat(text).isEqualTo("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n");
        int[] ids = TOK.encode(text, false, true);
        assertThat(TOK.decode(new int[] {ids[0]}, false)).isEqualTo("<|im_start|>");
        assertThat(TOK.isSpecial(ids[0])).isTrue();
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> Datasets.random(TOK, 1, 10, 10, 1.5, 1)).hasMessageContaining("--random-range-ratio");
        assertThatThrownBy(() -> Datasets.random(TOK, 1, 0, 10, 1, 1)).hasMessageContaining("--random-input-len");
        assertThatThrownBy(() -> CustomerServiceDataset.generate(TOK, 1, 0, 10, 1, 1)).hasMessageContaining("--multi-turn-turns");
        assertThatThrownBy(() -> new ChatMessage("tool", "x")).hasMessageContaining("tool");
    }
}
