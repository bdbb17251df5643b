package org.sglang4j.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events with the exact framing OpenAI and SGLang clients split on: {@code "data: " + json + "\n\n"}
 * per event (one space after the colon; naive splitters depend on it), flushed at once, and {@code data: [DONE]}
 * last. A write to a closed connection throws {@link IOException}: that is how a client disconnect is noticed.
 */
public final class SseWriter {

    private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /** One event; {@code json} must be a single line (Jackson's compact output is). */
    public void event(String json) throws IOException {
        out.write(PREFIX);
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write(END);
        out.flush();
    }

    public void event(Object value) throws IOException {
        event(Json.write(value));
    }

    public void done() throws IOException {
        out.write(DONE);
        out.flush();
    }
}
