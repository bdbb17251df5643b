package org.sglang4j.core.tokenizer;

import java.util.List;

/**
 * Streams the text of generated tokens as they arrive (SGLang's incremental detokenization). A delta never ends
 * inside a UTF-8 sequence: the bytes of a character split over byte tokens (Chinese, emoji, {@code <0xNN>}
 * fallback) are held until the character is complete. Stop strings are matched on the decoded text even when
 * they span tokens; text that could still become a stop string is held back until that is decided, and on a
 * match the output ends just before the stop string (or after it with {@code noStopTrim}).
 *
 * <p>One instance per request, used by one thread. After construction the per-token path allocates only the
 * returned delta string.
 */
public final class IncrementalDetokenizer {

    /**
     * SGLang's sampling options that shape output text. {@code spacesBetweenSpecialTokens} (only meaningful when
     * special tokens are kept) puts a space between a special token and its neighbours, as Hugging Face's slow
     * tokenizers do; {@code stripLeadingSpace} drops the SentencePiece dummy-prefix space of the very first token
     * (for text that starts a document, not for a continuation of a prompt).
     */
    public record Options(boolean skipSpecialTokens, boolean spacesBetweenSpecialTokens, List<String> stop,
                          boolean noStopTrim, boolean stripLeadingSpace) {
        public Options {
            stop = stop == null ? List.of() : List.copyOf(stop);
            for (String s : stop) {
                if (s.isEmpty()) throw new IllegalArgumentException("stop strings must not be empty");
            }
        }

        public static Options defaults() { return new Options(true, false, List.of(), false, false); }

        public Options withStop(List<String> stop) {
            return new Options(skipSpecialTokens, spacesBetweenSpecialTokens, stop, noStopTrim, stripLeadingSpace);
        }

        public Options withNoStopTrim(boolean noStopTrim) {
            return new Options(skipSpecialTokens, spacesBetweenSpecialTokens, stop, noStopTrim, stripLeadingSpace);
        }
    }

    private final Tokenizer tokenizer;
    private final Vocabulary vocab; // fast path for our own tokenizers: no byte[] per token
    private final Options options;
    private final String[] stops;
    private final int longestStop;

    private byte[] pending = new byte[64]; // bytes of an unfinished UTF-8 sequence (and the newest token)
    private int pendingLen;
    private final StringBuilder held = new StringBuilder(); // decoded, not yet emitted (may start a stop string)
    private boolean started;      // some token contributed bytes already
    private boolean lastSpecial;  // previous emitted piece was a kept special token
    private String matchedStop;

    public IncrementalDetokenizer(Tokenizer tokenizer, Options options) {
        this.tokenizer = tokenizer;
        this.vocab = tokenizer instanceof VocabTokenizer v ? v.vocabulary() : null;
        this.options = options;
        this.stops = options.stop().toArray(String[]::new);
        int max = 0;
        for (String s : stops) max = Math.max(max, s.length());
        this.longestStop = max;
    }

    /** Feeds the next generated token; returns the text that became final ("" when none did or after a stop). */
    public String add(int tokenId) {
        if (matchedStop != null) return "";
        boolean special = tokenizer.isSpecial(tokenId);
        if (special && options.skipSpecialTokens()) return "";
        if (options.spacesBetweenSpecialTokens() && started && (special || lastSpecial)) appendByte((byte) ' ');
        int from = pendingLen;
        appendToken(tokenId);
        if (pendingLen == from) return release(false); // a token with no bytes changes nothing
        if (!started && options.stripLeadingSpace() && pending[from] == ' ') {
            System.arraycopy(pending, from + 1, pending, from, pendingLen - from - 1);
            pendingLen--;
        }
        started = true;
        lastSpecial = special;
        int used = Utf8.decodeInto(pending, 0, pendingLen, false, held);
        System.arraycopy(pending, used, pending, 0, pendingLen - used);
        pendingLen -= used;
        return release(false);
    }

    /** End of generation: flushes held text; an unfinished UTF-8 sequence becomes U+FFFD. */
    public String finish() {
        if (matchedStop != null) return "";
        Utf8.decodeInto(pending, 0, pendingLen, true, held);
        pendingLen = 0;
        return release(true);
    }

    /** True once a stop string matched; later tokens produce no text. */
    public boolean stopped() { return matchedStop != null; }

    /** The stop string that matched, or null. */
    public String matchedStop() { return matchedStop; }

    private String release(boolean last) {
        if (held.isEmpty()) return "";
        if (stops.length > 0) {
            int at = -1;
            String which = null;
            for (String s : stops) {
                int k = held.indexOf(s);
                if (k >= 0 && (at < 0 || k < at)) {
                    at = k;
                    which = s;
                }
            }
            if (at >= 0) {
                matchedStop = which;
                String out = held.substring(0, options.noStopTrim() ? at + which.length() : at);
                held.setLength(0);
                pendingLen = 0;
                return out;
            }
        }
        int keep = last ? 0 : heldBackLength();
        if (keep == held.length()) return "";
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Length of the longest suffix of {@code held} that is a proper prefix of some stop string. */
    private int heldBackLength() {
        int max = Math.min(held.length(), longestStop - 1);
        for (int len = max; len > 0; len--) {
            int start = held.length() - len;
            for (String s : stops) {
                if (s.length() > len && regionEquals(start, s, len)) return len;
            }
        }
        return 0;
    }

    private boolean regionEquals(int start, String s, int len) {
        for (int i = 0; i < len; i++) if (held.charAt(start + i) != s.charAt(i)) return false;
        return true;
    }

    private void appendToken(int id) {
        if (vocab != null) {
            int n = vocab.byteLength(id);
            ensure(n);
            pendingLen += vocab.copyBytes(id, pending, pendingLen);
        } else {
            byte[] b = tokenizer.tokenBytes(id);
            ensure(b.length);
            System.arraycopy(b, 0, pending, pendingLen, b.length);
            pendingLen += b.length;
        }
    }

    private void appendByte(byte b) {
        ensure(1);
        pending[pendingLen++] = b;
    }

    private void ensure(int more) {
        if (pendingLen + more > pending.length) {
            pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + more));
        }
    }
}
