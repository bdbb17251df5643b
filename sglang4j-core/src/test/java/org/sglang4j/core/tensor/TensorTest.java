package org.sglang4j.core.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sglang4j.core.gguf.GgmlType;

class TensorTest {

    @Test
    void aQ8_0BlockDecodesToScaleTimesQuants() {
        // One block: d = 0.5 (f16 0x3800), quants 0, 1, -1, 127, -128, then zeros.
        ByteBuffer b = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x3800).put((byte) 0).put((byte) 1).put((byte) -1).put((byte) 127).put((byte) -128);
        float[] v = Tensor.of(GgmlType.Q8_0, MemorySegment.ofArray(b.array()), 1, 32).toFloatArray();
        assertThat(v).startsWith(0f, 0.5f, -0.5f, 63.5f, -64f);
        assertThat(v[31]).isZero();
    }

    @Test
    void aQ4_0BlockPutsLowNibblesFirstThenHighNibbles() {
        // d = 1; byte i = (hi << 4) | lo with lo = i, hi = 15 - i: values lo - 8, then hi - 8.
        ByteBuffer b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x3c00);
        for (int i = 0; i < 16; i++) b.put((byte) ((15 - i) << 4 | i));
        float[] v = Tensor.of(GgmlType.Q4_0, MemorySegment.ofArray(b.array()), 1, 32).toFloatArray();
        for (int i = 0; i < 16; i++) {
            assertThat(v[i]).isEqualTo(i - 8f);
            assertThat(v[16 + i]).isEqualTo(7f - i);
        }
    }

    @Test
    void aOneDimensionalTensorIsOneRow() {
        float[] values = {1f, 2f, 3f};
        Tensor t = F32Tensor.ofArray(values, 1, 3);
        assertThat(t.rows()).isEqualTo(1);
        assertThat(t.toFloatArray()).containsExactly(values);
    }

    @Test
    void rejectsDataOfTheWrongSizeNamingTheType() {
        assertThatThrownBy(() -> Tensor.of(GgmlType.Q8_0, MemorySegment.ofArray(new byte[33]), 1, 32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q8_0").hasMessageContaining("needs 34 bytes, got 33");
    }

    @Test
    void rejectsARowThatIsNotWholeBlocks() {
        assertThatThrownBy(() -> Tensor.of(GgmlType.Q4_K, MemorySegment.ofArray(new byte[144]), 2, 128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row length 128 is not a multiple of its block size 256");
    }

    @Test
    void rejectsEmptyShapes() {
        assertThatThrownBy(() -> Tensor.of(GgmlType.F32, MemorySegment.ofArray(new byte[0]), 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x4");
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q5_1", "Q2_K", "Q3_K", "IQ2_XXS", "IQ4_NL", "I8", "F64"})
    void unsupportedTypesAreNamed(GgmlType type) {
        MemorySegment data = MemorySegment.ofArray(new byte[(int) type.byteSize(256)]);
        assertThatThrownBy(() -> Tensor.of(type, data, 1, 256)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("tensor type " + type + " is not supported");
    }
}
