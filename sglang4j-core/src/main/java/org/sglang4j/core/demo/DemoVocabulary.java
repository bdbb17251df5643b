package org.sglang4j.core.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small GPT-2-style byte-level BPE vocabulary for the built-in demo model, trained deterministically at start-up
 * on a short built-in text: 256 byte tokens, {@link #MERGES} learned merges and the ChatML special tokens. The demo
 * model thereby goes through the same tokenizer code path (GGUF {@code tokenizer.ggml.*}, pre-tokenizer "qwen2") as
 * a real Qwen model.
 */
record DemoVocabulary(String[] tokens, int[] tokenTypes, String[] merges, int endOfText, int imStart, int imEnd) {

    static final int MERGES = 700;
    private static final int NORMAL = 1;
    private static final int CONTROL = 3;

    private static final String CORPUS = """
            Hello! Thank you for contacting our customer service team. How can I help you today?
            I would like to check the status of my order. My order number is 20240611 and it has not arrived yet.
            Let me look up your order. Your package was shipped yesterday and should arrive within three days.
            Can I return a product that I bought last week? The size is wrong and I want a refund.
            Yes, you can return any item within thirty days of delivery. Please keep the original packaging.
            The refund will be issued to your original payment method after we receive the returned item.
            I want to cancel my order because I found a better price somewhere else.
            Your order has been cancelled and the full amount will be refunded in three to five business days.
            Is there anything else I can help you with? Have a nice day and thank you for shopping with us.
            The quick brown fox jumps over the lazy dog. Once upon a time there was a little girl named Lily.
            She loved to play outside in the park with her friends, and every day they would run and laugh.
            {"order_id": "A1234567", "status": "shipped", "action": "track", "intent": "refund", "reason": "damaged"}
            """;

    /** GPT-2's byte → printable code point table (printable Latin-1 maps to itself, the rest to U+0100…). */
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + extra++);
        }
    }

    static DemoVocabulary build() {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(String.valueOf(BYTE_TO_CHAR[b]));
        // Words as sequences of byte-level symbols, with their corpus counts (insertion order keeps it deterministic).
        Map<List<String>, Integer> words = new LinkedHashMap<>();
        Matcher m = Pattern.compile(" ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+").matcher(CORPUS);
        while (m.find()) {
            List<String> symbols = new ArrayList<>();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) symbols.add(String.valueOf(BYTE_TO_CHAR[b & 0xFF]));
            words.merge(symbols, 1, Integer::sum);
        }
        List<String> merges = new ArrayList<>();
        for (int i = 0; i < MERGES; i++) {
            Map<String, Integer> pairCounts = new LinkedHashMap<>();
            for (var e : words.entrySet()) {
                List<String> w = e.getKey();
                for (int j = 0; j + 1 < w.size(); j++) pairCounts.merge(w.get(j) + " " + w.get(j + 1), e.getValue(), Integer::sum);
            }
            String best = null;
            int bestCount = 1; // a pair seen once is not worth a token
            for (var e : pairCounts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) break;
            merges.add(best);
            String[] ab = best.split(" ", 2);
            String merged = ab[0] + ab[1];
            tokens.add(merged);
            Map<List<String>, Integer> next = new LinkedHashMap<>();
            for (var e : words.entrySet()) next.merge(applyMerge(e.getKey(), ab[0], ab[1], merged), e.getValue(), Integer::sum);
            words = next;
        }
        int endOfText = tokens.size();
        tokens.add("<|endoftext|>");
        tokens.add("<|im_start|>");
        tokens.add("<|im_end|>");
        int[] types = new int[tokens.size()];
        for (int i = 0; i < types.length; i++) types[i] = i >= endOfText ? CONTROL : NORMAL;
        return new DemoVocabulary(tokens.toArray(String[]::new), types, merges.toArray(String[]::new), endOfText,
                endOfText + 1, endOfText + 2);
    }

    private static List<String> applyMerge(List<String> word, String a, String b, String merged) {
        List<String> out = new ArrayList<>(word.size());
        for (int j = 0; j < word.size(); j++) {
            if (j + 1 < word.size() && word.get(j).equals(a) && word.get(j + 1).equals(b)) {
                out.add(merged);
                j++;
            } else {
                out.add(word.get(j));
            }
        }
        return out;
    }

    int size() {
        return tokens.length;
    }
}
