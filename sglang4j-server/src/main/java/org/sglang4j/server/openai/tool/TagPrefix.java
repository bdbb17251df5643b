package org.sglang4j.server.openai.tool;

/** How much of a buffer's tail must wait because it could be the start of a tag split across deltas. */
final class TagPrefix {

    private TagPrefix() {}

    /** Length of the longest suffix of {@code text} that is a proper prefix of {@code tag}. */
    static int heldBack(CharSequence text, String tag) {
        int max = Math.min(text.length(), tag.length() - 1);
        for (int k = max; k > 0; k--) {
            boolean match = true;
            for (int i = 0; i < k && match; i++) match = text.charAt(text.length() - k + i) == tag.charAt(i);
            if (match) return k;
        }
        return 0;
    }
}
