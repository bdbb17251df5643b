package org.sglang4j.engine.req;

/**
 * SGLang {@code session_params}: continue session {@code id} after request {@code rid} (null = the latest),
 * optionally splicing at token {@code offset}, {@code replace} to branch, {@code dropPreviousOutput} to reuse only
 * the parent's input.
 */
public record SessionParams(String id, String rid, Integer offset, boolean replace, boolean dropPreviousOutput) {}
