package org.sglang4j.engine.batch;

/** SGLang {@code ForwardMode}: prefill chunks only, one token per running request, or both in one pass. */
public enum ForwardMode {
    EXTEND, DECODE, MIXED
}
