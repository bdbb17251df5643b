package org.sglang4j.engine.req;

/** Why a request ended; JSON shapes follow SGLang's {@code meta_info.finish_reason}. */
public sealed interface FinishReason {

    /** Reached {@code max_new_tokens}: {@code {"type":"length","length":N}}. */
    record Length(int length) implements FinishReason {}

    /** Produced EOS or a stop token id: {@code {"type":"stop","matched":id}}. */
    record MatchedToken(int tokenId) implements FinishReason {}

    /** Output ended with a stop string: {@code {"type":"stop","matched":"..."}}. */
    record MatchedString(String matched) implements FinishReason {}

    /** Aborted by the client, by a disconnect, or because of an error; {@code statusCode} is the HTTP status. */
    record Abort(String message, int statusCode) implements FinishReason {}
}
