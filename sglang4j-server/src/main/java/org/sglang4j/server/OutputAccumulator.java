package org.sglang4j.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sglang4j.engine.req.FinishReason;
import org.sglang4j.engine.req.GenerateOutput;
import org.sglang4j.engine.req.TokenLogprob;
import org.sglang4j.server.http.ApiException;

/**
 * Everything one engine request has produced so far, built from its {@link GenerateOutput} deltas: the text, the
 * output token ids, logprobs, token counts and the finish reason. Owned by the handler thread that reads the
 * request's outputs; the native and OpenAI responses are both rendered from it.
 */
public final class OutputAccumulator {

    private final String rid;
    private final long startNanos;
    private final StringBuilder text = new StringBuilder();
    private int[] outputIds = new int[16];
    private int outputLen;
    private final List<TokenLogprob> inputLogprobs = new ArrayList<>();
    private final List<TokenLogprob> outputLogprobs = new ArrayList<>();
    private FinishReason finishReason;
    private int promptTokens;
    private int completionTokens;
    private int cachedTokens;
    private int retractions;
    private double e2eLatency;

    public OutputAccumulator(String rid, long startNanos) {
        this.rid = rid;
        this.startNanos = startNanos;
    }

    public void add(GenerateOutput o) {
        text.append(o.textDelta() == null ? "" : o.textDelta());
        int[] ids = o.newTokenIds() == null ? new int[0] : o.newTokenIds();
        if (outputLen + ids.length > outputIds.length) {
            outputIds = Arrays.copyOf(outputIds, Math.max(outputIds.length * 2, outputLen + ids.length));
        }
        System.arraycopy(ids, 0, outputIds, outputLen, ids.length);
        outputLen += ids.length;
        if (o.inputLogprobs() != null) inputLogprobs.addAll(o.inputLogprobs());
        if (o.outputLogprobs() != null) outputLogprobs.addAll(o.outputLogprobs());
        promptTokens = o.promptTokens();
        completionTokens = Math.max(o.completionTokens(), outputLen);
        cachedTokens = o.cachedTokens();
        retractions = o.retractions();
        if (o.finished()) {
            finishReason = o.finishReason();
            e2eLatency = (System.nanoTime() - startNanos) / 1e9;
        }
    }

    public String rid() {
        return rid;
    }

    public String text() {
        return text.toString();
    }

    public int textLength() {
        return text.length();
    }

    public int[] outputIds() {
        return Arrays.copyOf(outputIds, outputLen);
    }

    public List<TokenLogprob> inputLogprobs() {
        return inputLogprobs;
    }

    public List<TokenLogprob> outputLogprobs() {
        return outputLogprobs;
    }

    public boolean finished() {
        return finishReason != null;
    }

    /** Null while running. */
    public FinishReason finishReason() {
        return finishReason;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int completionTokens() {
        return completionTokens;
    }

    public int cachedTokens() {
        return cachedTokens;
    }

    public int retractions() {
        return retractions;
    }

    /** Seconds from arrival to the last output; until then, the time so far. */
    public double e2eLatency() {
        return finished() ? e2eLatency : (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The engine aborted this request because of an error (a grammar that failed to compile, an internal error)
     * rather than on a client's request: non-streaming responses turn it into that HTTP error, as SGLang does.
     */
    public boolean abortedWithError() {
        return finishReason instanceof FinishReason.Abort a && a.statusCode() >= 400 && a.statusCode() != 499;
    }

    /** The HTTP error for {@link #abortedWithError()}. */
    public ApiException abortError() {
        FinishReason.Abort a = (FinishReason.Abort) finishReason;
        return new ApiException(a.statusCode(), a.statusCode() < 500 ? "invalid_request_error" : "server_error",
                null, a.message(), 0);
    }
}
