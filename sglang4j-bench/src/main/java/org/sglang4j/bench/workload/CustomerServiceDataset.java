package org.sglang4j.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sglang4j.core.tokenizer.Tokenizer;

/**
 * The multi-turn customer-service workload (the project's driving use case): every conversation starts with the
 * same ≈300-token store policy as its system prompt, then a customer asks an opening question and follow-ups for
 * {@code turns} turns. Each turn resends the whole history, so a prefix cache can serve the policy across
 * conversations and each conversation's earlier turns within it; without one, every turn re-reads everything.
 */
public final class CustomerServiceDataset {

    /** The shared system prompt; about 300 tokens with the Qwen2 tokenizer. */
    public static final String POLICY = """
            You are the customer-service assistant of Northwind Outfitters, an online store for outdoor clothing \
            and equipment. Follow this policy in every answer.
            1. Identity. Ask for the order number (six digits) before discussing an order. Never reveal another \
            customer's data, and never ask for a full card number or password.
            2. Shipping. Standard delivery takes 3 to 5 business days and is free above 50 euros; express delivery \
            takes 1 to 2 business days and costs 9.90 euros. Orders placed before 2 pm ship the same day. Tracking \
            links are sent by email when the parcel leaves the warehouse.
            3. Returns. Unused items may be returned within 30 days of delivery with the original receipt. The \
            customer prints a free return label from the account page. Sale items can be exchanged but not refunded.
            4. Refunds. Refunds go back to the original payment method within 5 business days after the warehouse \
            receives the return. Damaged or wrong items are refunded in full, including shipping.
            5. Warranty. Tents, backpacks and jackets carry a two-year warranty against manufacturing defects; \
            repairs are free, and if a repair is impossible the item is replaced.
            6. Escalation. If the customer is angry, asks for a manager, or the case involves more than 500 euros, \
            summarise the case and create a ticket for a human agent.
            Answer politely and briefly, in the customer's language, and end by asking whether anything else is needed.""";

    private static final String[] OPENINGS = {
            "Hi, my order %d has not arrived yet. Can you check where it is?",
            "Hello, I received the wrong size for order %d. What can I do?",
            "I want to return a jacket from order %d, it does not fit.",
            "My tent from order %d has a broken pole after two weeks. Is that covered?",
            "Good morning, I was charged twice for order %d.",
            "Can I still change the delivery address of order %d?",
    };
    private static final String[] FOLLOW_UPS = {
            "How long will that take?",
            "Do I have to pay for the return shipping?",
            "Can I get express delivery instead?",
            "The tracking link says the parcel is in the warehouse since %d days. Why?",
            "Will the refund go to my credit card or to store credit?",
            "I also bought a backpack in the same order. Can I return it too?",
            "What if the replacement is also damaged?",
            "Can you send me the return label by email to %d@example.com?",
            "Is the item on sale? I paid %d euros for it.",
            "I am not happy with this answer. Can I speak to a manager?",
            "Can you summarise what happens next?",
            "Thanks. One more thing: do you ship to Switzerland?",
    };

    private CustomerServiceDataset() {}

    /**
     * {@code n} conversations of {@code turns} turns; each answer is {@code outputLen} tokens (uniform in
     * {@code [outputLen × rangeRatio, outputLen]}).
     */
    public static List<Conversation> generate(Tokenizer tok, int n, int turns, int outputLen, double rangeRatio,
                                              long seed) {
        if (turns < 1) throw new IllegalArgumentException("--multi-turn-turns must be >= 1, got " + turns);
        if (outputLen < 1) throw new IllegalArgumentException("--multi-turn-output-len must be >= 1, got " + outputLen);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Conversation> out = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            List<Turn> list = new ArrayList<>(turns);
            for (int t = 0; t < turns; t++) {
                String template = t == 0 ? OPENINGS[rnd.nextInt(OPENINGS.length)] : FOLLOW_UPS[rnd.nextInt(FOLLOW_UPS.length)];
                String text = template.formatted(t == 0 ? 100_000 + rnd.nextInt(900_000) : 2 + rnd.nextInt(60));
                int lo = Math.max(1, (int) (outputLen * rangeRatio));
                list.add(new Turn(text, tok.encode(text, false, false).length, lo + rnd.nextInt(outputLen - lo + 1)));
            }
            out.add(new Conversation(c, POLICY, list, true));
        }
        return out;
    }
}
