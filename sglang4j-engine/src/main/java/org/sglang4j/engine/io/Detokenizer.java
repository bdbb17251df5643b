package org.sglang4j.engine.io;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.sglang4j.core.sampling.SamplingParams;
import org.sglang4j.core.tokenizer.IncrementalDetokenizer;
import org.sglang4j.core.tokenizer.Tokenizer;
import org.sglang4j.engine.metrics.EngineMetrics;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.ReqState;

/**
 * The output stage (SGLang {@code DetokenizerManager} + the output half of {@code TokenizerManager}), on its own
 * thread so text decoding and slow listeners never hold up the scheduler. For each token-id output it decodes
 * the new text with the request's {@link IncrementalDetokenizer} (UTF-8 safe; text that could still become a stop
 * string is held back; the matched stop string or stop token is trimmed unless {@code no_stop_trim}), records the
 * latency metrics and calls the request's listener.
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
                for (TokenIdOutput o : batch) handleOrAbort(o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A failure while decoding one request's output ends that request with a 500 and nothing else: this thread
     * serves every request, so it must outlive any one of them.
     */
    private void handleOrAbort(TokenIdOutput o) {
        try {
            handle(o);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "output of " + o.rid() + " failed; aborting it", e);
            ReqState s = o.state();
            if (s == null || s.finished) return;
            s.finished = true;
            try {
                s.listener.onOutput(new GenerateOutput(o.rid(), new int[0], "", List.of(), List.of(),
                        new FinishReason.Abort("internal error while decoding the output: " + e.getMessage(), 500),
                        o.promptTokens(), o.completionTokens(), o.cachedTokens(), o.retractions(), o.index()));
            } catch (RuntimeException listenerFailure) {
                LOG.log(Level.WARNING, "listener of " + o.rid() + " failed", listenerFailure);
            }
        }
    }

    void handle(TokenIdOutput o) {
        ReqState s = o.state();
        if (s == null || s.finished) return;
        long now = System.nanoTime();
        String delta = nextText(s, o.newTokenIds(), o.finishReason());
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

    /**
     * Feeds the new tokens to the request's incremental detokenizer and returns the text that is final now. A
     * matched stop token (EOS or a stop id) is not fed unless {@code no_stop_trim}: SGLang trims it from the text.
     */
    String nextText(ReqState s, int[] newTokens, FinishReason finish) {
        SamplingParams p = s.sampling;
        if (s.detokenizer == null) {
            s.detokenizer = new IncrementalDetokenizer(tokenizer, new IncrementalDetokenizer.Options(
                    p.skipSpecialTokens(), p.spacesBetweenSpecialTokens(), p.stop(), p.noStopTrim(), false));
        }
        StringBuilder delta = new StringBuilder();
        int n = newTokens.length;
        if (finish instanceof FinishReason.MatchedToken && !p.noStopTrim() && n > 0) n--;
        for (int i = 0; i < n; i++) delta.append(s.detokenizer.add(newTokens[i]));
        if (finish != null) delta.append(s.detokenizer.finish());
        return delta.toString();
    }
}
