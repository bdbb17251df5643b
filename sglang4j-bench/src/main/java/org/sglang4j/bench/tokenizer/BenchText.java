package org.sglang4j.bench.tokenizer;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic mixed English / Chinese corpus (plus numbers, code and punctuation) for tokenizer speed: the
 * kind of text a bilingual chat deployment sees. Sentences are drawn at random from small pools, so the text has
 * realistic word frequencies without shipping a corpus file.
 */
final class BenchText {
    private BenchText() {}

    private static final List<String> ENGLISH = List.of(
            "The scheduler keeps every running request in one batch and decodes them together.",
            "When the cache already holds the prefix, the prompt is not computed again.",
            "She opened the window, looked at the rain, and decided to stay home for the afternoon.",
            "Our quarterly revenue grew by 12.5% while operating costs fell to $3,200,000.",
            "Please reply with a JSON object that contains the fields name, age and city.",
            "I've been told it's faster if you'll batch the requests; they'd agree, wouldn't they?",
            "Tokenizers split text into pieces, and the model only ever sees the piece ids.",
            "A small red fox jumped over the fence and ran into the forest before anyone noticed.",
            "Error 404: the page you requested could not be found on this server.",
            "Meeting moved to Tuesday, 3:30 PM — bring the draft report and your laptop.");

    private static final List<String> CHINESE = List.of(
            "今天天气很好，我们一起去公园散步吧。",
            "这个模型在处理长文本的时候速度非常快，而且占用的内存也不多。",
            "请用中文回答下面的问题，并给出详细的解释。",
            "他昨天买了三本书，花了一百二十五块钱。",
            "人工智能正在改变我们的工作方式和生活方式。",
            "如果缓存里已经有相同的前缀，就不需要重新计算。",
            "我们的团队由八位工程师组成，负责服务器的开发与维护。",
            "春天来了，花园里的花都开了，孩子们在草地上玩耍。",
            "请把这段文字翻译成英文：学习是一件快乐的事情。",
            "订单编号为二零二四零三一五，预计下周二送达。");

    private static final List<String> OTHER = List.of(
            "\n\n", "\n", "    for (int i = 0; i < n; i++) { sum += a[i] * b[i]; }\n", " 2024-03-15 ", " (see §4.2) ",
            "\t", " 😀 ", " https://example.com/a/b?c=1&d=2 ", " x² + y² = z² ", "  ");

    /** About {@code bytes} bytes of UTF-8. */
    static String generate(int bytes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        int utf8 = 0;
        while (utf8 < bytes) {
            int pick = rnd.nextInt(10);
            String s = pick < 5 ? ENGLISH.get(rnd.nextInt(ENGLISH.size()))
                    : pick < 9 ? CHINESE.get(rnd.nextInt(CHINESE.size()))
                    : OTHER.get(rnd.nextInt(OTHER.size()));
            if (pick < 5 && !sb.isEmpty()) sb.append(' ');
            sb.append(s);
            utf8 += s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
        }
        return sb.toString();
    }
}
