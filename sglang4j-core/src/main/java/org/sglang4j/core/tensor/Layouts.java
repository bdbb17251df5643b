package org.sglang4j.core.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.sglang4j.core.gguf.GgmlType;

/** Little-endian value layouts of ggml data and the shape check every tensor type runs on construction. */
final class Layouts {
    private Layouts() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Returns the byte length of one row after checking that {@code data} holds exactly rows × cols values. */
    static long checkShape(GgmlType type, MemorySegment data, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(type + " tensor needs rows and cols >= 1, got " + rows + "x" + cols);
        }
        if (cols % type.blockSize != 0) {
            throw new IllegalArgumentException(type + " tensor row length " + cols + " is not a multiple of its block size "
                    + type.blockSize);
        }
        long rowBytes = (long) cols / type.blockSize * type.typeSize;
        if (data.byteSize() != rowBytes * rows) {
            throw new IllegalArgumentException(type + " tensor " + rows + "x" + cols + " needs " + rowBytes * rows
                    + " bytes, got " + data.byteSize());
        }
        return rowBytes;
    }

    /** An f16 scale stored at {@code offset}. */
    static float half(MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(I16, offset));
    }
}
