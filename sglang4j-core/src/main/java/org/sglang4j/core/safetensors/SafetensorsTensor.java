package org.sglang4j.core.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file. {@code shape} is in PyTorch (row-major) order: the last dimension is the
 * contiguous one, so an {@code nn.Linear} weight of {@code out} × {@code in} has {@code shape = [out, in]}
 * (the reverse of GGUF's order). {@code data} is a slice of the memory-mapped file, little-endian, unaligned.
 */
public record SafetensorsTensor(String name, SafetensorsDtype dtype, long[] shape, MemorySegment data) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public SafetensorsTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** Number of elements (1 for a scalar, whose shape is empty). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Element {@code index} (row-major) as a float; F16 and BF16 are widened exactly. */
    public float getFloat(long index) {
        return switch (dtype) {
            case F32 -> data.get(F32, index * 4);
            case F16 -> Float.float16ToFloat(data.get(I16, index * 2));
            case BF16 -> Float.intBitsToFloat((data.get(I16, index * 2) & 0xFFFF) << 16);
            default -> throw unsupported();
        };
    }

    /** The whole tensor widened to floats on the heap (for small tensors: norms, biases, tests). */
    public float[] toFloatArray() {
        if (!dtype.isFloatReadable()) throw unsupported();
        float[] out = new float[Math.toIntExact(elementCount())];
        for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        return out;
    }

    UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("tensor " + name + " has dtype " + dtype
                + ", which is not supported (supported: F32, F16, BF16)");
    }

    @Override
    public String toString() {
        return "SafetensorsTensor[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }
}
