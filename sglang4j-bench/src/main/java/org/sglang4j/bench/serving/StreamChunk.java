package org.sglang4j.bench.serving;

/**
 * What one streamed event of any backend says, normalised. Counts are -1 where the backend did not report them.
 *
 * @param textDelta        generated text new in this event ("" for bookkeeping events)
 * @param newTokens        generated tokens new in this event, -1 if unknown (then one non-empty delta = one token)
 * @param promptTokens     prompt tokens as the server counted them
 * @param completionTokens output tokens so far as the server counted them
 * @param cachedTokens     prompt tokens the server took from its prefix cache
 * @param finished         the server's last event for this request
 * @param error            an error the server reported in the stream, else null
 */
record StreamChunk(String textDelta, int newTokens, int promptTokens, int completionTokens, int cachedTokens,
                   boolean finished, String error) {}
