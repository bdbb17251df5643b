package org.sglang4j.core.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.sglang4j.core.gguf.GgmlType;

/**
 * Tensors of every supported type filled with random bytes — every quant and bit pattern is legal in the block
 * formats — except the f16 scale fields, which get random finite scales so results stay finite.
 */
public final class RandomTensors {
    private RandomTensors() {}

    public static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    /** Byte offsets of the f16 scale fields inside one block of {@code type}. */
    static int[] scaleOffsets(GgmlType type) {
        return switch (type) {
            case Q8_0, Q4_0, Q5_0 -> new int[] {0};
            case Q4_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q6_K -> new int[] {208};
            default -> new int[0];
        };
    }

    /** A tensor in off-heap memory, like the memory-mapped weights of a model file. */
    public static Tensor of(GgmlType type, int rows, int cols, Random rnd) {
        byte[] bytes = bytes(type, rows, cols, rnd);
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length, 64);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return Tensor.of(type, seg, rows, cols);
    }

    public static byte[] bytes(GgmlType type, int rows, int cols, Random rnd) {
        long n = (long) rows * cols;
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(type.byteSize(n))).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> { for (long i = 0; i < n; i++) b.putFloat((float) rnd.nextGaussian()); }
            case F16 -> { for (long i = 0; i < n; i++) b.putShort(Float.floatToFloat16((float) rnd.nextGaussian())); }
            case BF16 -> {
                for (long i = 0; i < n; i++) b.putShort((short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
            }
            default -> {
                rnd.nextBytes(b.array());
                for (int blk = 0; blk < n / type.blockSize; blk++) {
                    for (int off : scaleOffsets(type)) {
                        float scale = (float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -3 + 2 * rnd.nextDouble()));
                        b.putShort(blk * type.typeSize + off, Float.floatToFloat16(scale));
                    }
                }
            }
        }
        return b.array();
    }

    /** A row length valid for {@code type}: {@code units} blocks (float formats: {@code units} values). */
    public static int cols(GgmlType type, int units) {
        return type.blockSize == 1 ? units : units * type.blockSize;
    }
}
