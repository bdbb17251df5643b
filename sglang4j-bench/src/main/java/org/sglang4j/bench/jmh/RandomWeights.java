package org.sglang4j.bench.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.tensor.Tensor;

/**
 * Random weight matrices in off-heap memory (like a mapped model file): random quants, small finite f16 scales,
 * float formats uniform in [-1, 1). Benchmarks only need realistic bytes, not a trained model.
 */
final class RandomWeights {
    private RandomWeights() {}

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static Tensor tensor(GgmlType type, int rows, int cols, long seed, Arena arena) {
        MemorySegment seg = arena.allocate(type.byteSize((long) rows * cols), 64);
        fill(seg, type, new SplittableRandom(seed));
        return Tensor.of(type, seg, rows, cols);
    }

    /** Encoded bytes of a random {@code rows × cols} matrix (for writing GGUF files). */
    static byte[] bytes(GgmlType type, long elements, long seed) {
        byte[] b = new byte[Math.toIntExact(type.byteSize(elements))];
        fill(MemorySegment.ofArray(b), type, new SplittableRandom(seed));
        return b;
    }

    private static void fill(MemorySegment seg, GgmlType type, SplittableRandom rnd) {
        long n = seg.byteSize();
        switch (type) {
            case F32 -> {
                for (long o = 0; o < n; o += 4) seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, o, uniform(rnd));
            }
            case F16 -> {
                for (long o = 0; o < n; o += 2) seg.set(I16, o, Float.floatToFloat16(uniform(rnd)));
            }
            case BF16 -> {
                for (long o = 0; o < n; o += 2) seg.set(I16, o, (short) (Float.floatToIntBits(uniform(rnd)) >>> 16));
            }
            default -> {
                long o = 0;
                for (; o + 8 <= n; o += 8) seg.set(I64, o, rnd.nextLong());
                for (; o < n; o++) seg.set(ValueLayout.JAVA_BYTE, o, (byte) rnd.nextInt());
                int[] scales = switch (type) {
                    case Q8_0, Q4_0, Q5_0 -> new int[] {0};
                    case Q4_1, Q4_K, Q5_K -> new int[] {0, 2};
                    case Q6_K -> new int[] {208};
                    default -> throw new UnsupportedOperationException("no random weights for " + type);
                };
                for (long blk = 0; blk < n / type.typeSize; blk++) {
                    for (int s : scales) seg.set(I16, blk * type.typeSize + s, Float.floatToFloat16(0.01f * uniform(rnd)));
                }
            }
        }
    }

    private static float uniform(SplittableRandom rnd) {
        return (float) (rnd.nextDouble() * 2 - 1);
    }
}
