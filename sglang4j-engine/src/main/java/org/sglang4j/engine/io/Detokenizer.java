package org.sglang4j.engine.io;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.metrics.EngineMetrics;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.ReqState;

/**
 * The output stage (SGLang {@code DetokenizerManager} + the output half of {@code TokenizerManager}), on its own
 * thread so text decoding and slow listeners never hold up the scheduler. For each token-id output it decodes
 * the new text incrementally (UTF-8 safe: a token that ends inside a multi-byte character waits for the next),
 * holds back a tail that could still become a stop string, trims the matched stop string or stop token at the end
 * (unless {@code no_stop_trim}), records the latency metrics and calls the request's listener.
 */
public final class Detokenizer implements Runnable {
    private static final System.Logger LOG = System.getLogger("sglang4j.detokenizer");
    private static final List<TokenIdOutput> POISON = List.of();

    private final Tokenizer tokenizer;
    private final EngineMetrics metrics;
    private final BlockingQueue<List<TokenIdOutput>> queue = new LinkedBlockingQueue<>();

    public Detokenizer(Tokenizer tokenizer, EngineMetrics metrics) {
        this.tokenizer = tokenizer;
        this.metrics = metrics;
    }

    /** Called by the scheduler thread once per step. */
    public void accept(List<TokenIdOutput> outputs) {
        queue.add(outputs);
    }

    /** Ends the thread after the outputs already queued. */
    public void stop() {
        queue.add(POISON);
    }

    @Override
    public void run() {
        try {
            while (true) {
                List<TokenIdOutput> batch = queue.take();
                if (batch == POISON) return;
                for (TokenIdOutput o : batch) handle(o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void handle(TokenIdOutput o) {
        ReqState s = o.state();
        if (s == null || s.finished) return;
        long now = System.nanoTime();
        s.appendOutput(o.newTokenIds());
        String delta = nextText(s, o.finishReason());
        if (s.logMetrics && metrics != null) {
            if (o.newTokenIds().length > 0) {
                if (s.lastOutputNanos == 0) metrics.observeTimeToFirstToken((now - s.createdNanos) / 1e9);
                else metrics.observeInterTokenLatency((now - s.lastOutputNanos) / 1e9 / o.newTokenIds().length);
            }
            if (o.finishReason() != null) {
                metrics.observeRequestFinished((now - s.createdNanos) / 1e9, o.promptTokens(), o.completionTokens(),
                        o.cachedTokens());
            }
        }
        if (o.newTokenIds().length > 0) s.lastOutputNanos = now;
        if (o.finishReason() != null) s.finished = true;
        GenerateOutput out = new GenerateOutput(o.rid(), o.newTokenIds(), delta, o.inputLogprobs(), o.outputLogprobs(),
                o.finishReason(), o.promptTokens(), o.completionTokens(), o.cachedTokens(), o.retractions(), o.index());
        try {
            s.listener.onOutput(out);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "listener of " + o.rid() + " failed", e);
        }
    }

    /** Decodes the new tokens and returns the text that is safe to deliver now. */
    String nextText(ReqState s, FinishReason finish) {
        boolean skipSpecial = s.sampling.skipSpecialTokens();
        int len = s.outputLen;
        // A matched stop token is not part of the text (SGLang trims it unless no_stop_trim).
        if (finish instanceof FinishReason.MatchedToken && !s.sampling.noStopTrim() && len > 0) len--;
        if (len > s.readOffset) {
            int[] ids = s.outputIds;
            String prefixText = tokenizer.decode(Arrays.copyOfRange(ids, s.prefixOffset, s.readOffset), skipSpecial);
            String newText = tokenizer.decode(Arrays.copyOfRange(ids, s.prefixOffset, len), skipSpecial);
            boolean incomplete = newText.endsWith("\uFFFD");
            if (newText.length() > prefixText.length() && (!incomplete || finish != null)) {
                s.text.append(newText, prefixText.length(), newText.length());
                s.prefixOffset = s.readOffset;
                s.readOffset = len;
            }
        }
        int end = s.text.length();
        List<String> stops = s.sampling.stop();
        if (finish instanceof FinishReason.MatchedString m && !s.sampling.noStopTrim()) {
            int at = s.text.lastIndexOf(m.matched());
            if (at >= s.sentChars) end = at;
            else end = s.sentChars; // already partly sent (cannot happen with the hold-back below)
        } else if (finish == null && !stops.isEmpty()) {
            end -= heldBack(s.text, stops);
        }
        end = Math.max(end, s.sentChars);
        String delta = s.text.substring(s.sentChars, end);
        s.sentChars = end;
        return delta;
    }

    /** Length of the longest suffix of {@code text} that is a proper prefix of a stop string. */
    static int heldBack(CharSequence text, List<String> stops) {
        int best = 0;
        for (String stop : stops) {
            for (int k = Math.min(stop.length() - 1, text.length()); k > best; k--) {
                if (stop.regionMatches(0, text.toString(), text.length() - k, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }
}
