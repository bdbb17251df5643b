package org.sglang4j.core.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import org.sglang4j.core.gguf.GgmlType;
import org.sglang4j.core.tensor.Tensor;

/** Which weight types this build can read (the quantized ones arrive with the kernels work). */
final class TensorTypes {
    private TensorTypes() {}

    static boolean supported(GgmlType type) {
        try {
            Tensor.of(type, MemorySegment.ofArray(new byte[type.typeSize]), 1, type.blockSize);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    static void assumeSupported(GgmlType type) {
        assumeTrue(supported(type), () -> "tensor type " + type + " is not implemented in this build yet");
    }
}
