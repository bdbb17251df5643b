package org.sglang4j.core.model;

/** Element type of the KV cache. F16 and BF16 halve its memory; values are converted on write and on read. */
public enum KvDtype {
    F32(4), F16(2), BF16(2);

    public final int bytes;

    KvDtype(int bytes) {
        this.bytes = bytes;
    }
}
