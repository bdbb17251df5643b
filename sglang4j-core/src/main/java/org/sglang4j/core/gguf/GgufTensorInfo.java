package org.sglang4j.core.gguf;

import java.lang.foreign.MemorySegment;

/**
 * One tensor of a GGUF file. {@code shape} is in ggml order: {@code shape[0]} is the innermost (contiguous)
 * dimension, so a weight matrix of {@code rows} output features over {@code cols} inputs has
 * {@code shape = [cols, rows]}. {@code data} is a slice of the memory-mapped file.
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset, MemorySegment data) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Size of the innermost dimension (the row length of a matrix). */
    public int cols() {
        return Math.toIntExact(shape[0]);
    }

    /** Product of all dimensions but the innermost (the number of rows of a matrix). */
    public long rows() {
        return elementCount() / shape[0];
    }
}
