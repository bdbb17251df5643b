package org.sglang4j.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir Path tmp;

    @Test
    void readsShapesAndValuesOfEachFloatType() throws IOException {
        Path p = tmp.resolve("m.safetensors");
        new SafetensorsTestWriter()
                .metadata("{\"format\":\"pt\"}")
                .f32("a.weight", new long[] {2, 3}, 1f, -2f, 3.5f, 0.25f, 1e-3f, -7f)
                .f16("b.bias", new long[] {3}, 0.5f, -1.25f, 65504f)
                .bf16("c.norm", new long[] {1, 2}, 1.5f, -2.25f)
                .f32("scalar", new long[] {}, 42f)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.metadata()).containsEntry("format", "pt").hasSize(1);
            assertThat(f.tensors().keySet()).containsExactly("a.weight", "b.bias", "c.norm", "scalar");

            SafetensorsTensor a = f.tensor("a.weight");
            assertThat(a.dtype()).isEqualTo(SafetensorsDtype.F32);
            assertThat(a.shape()).containsExactly(2, 3);
            assertThat(a.data().byteSize()).isEqualTo(24);
            assertThat(a.toFloatArray()).containsExactly(1f, -2f, 3.5f, 0.25f, 1e-3f, -7f);
            // The segment is the raw little-endian data, not a copy.
            assertThat(a.data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8))
                    .isEqualTo(3.5f);

            assertThat(f.tensor("b.bias").toFloatArray()).containsExactly(0.5f, -1.25f, 65504f);
            SafetensorsTensor c = f.tensor("c.norm");
            assertThat(c.dtype()).isEqualTo(SafetensorsDtype.BF16);
            assertThat(c.toFloatArray()).containsExactly(1.5f, -2.25f);
            assertThat(f.tensor("scalar").elementCount()).isEqualTo(1);
            assertThat(f.tensor("scalar").getFloat(0)).isEqualTo(42f);
        }
    }

    @Test
    void headerPaddedWithSpacesIsAccepted() throws IOException {
        Path p = tmp.resolve("padded.safetensors");
        new SafetensorsTestWriter().headerPadding(5).f32("x", new long[] {2}, 3f, 4f).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.tensor("x").toFloatArray()).containsExactly(3f, 4f);
            assertThat(f.metadata()).isEmpty();
        }
    }

    @Test
    void knownButUnsupportedDtypeOpensAndFailsOnUseNamingIt() throws IOException {
        Path p = tmp.resolve("ints.safetensors");
        new SafetensorsTestWriter()
                .raw("position_ids", "I64", new long[] {2}, new byte[16])
                .f32("w", new long[] {1}, 1f)
                .write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThat(f.tensors().get("position_ids").dtype()).isEqualTo(SafetensorsDtype.I64);
            assertThatThrownBy(() -> f.tensor("position_ids"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("position_ids").hasMessageContaining("I64");
            assertThat(f.tensor("w").toFloatArray()).containsExactly(1f);
        }
    }

    @Test
    void unknownDtypeIsRejectedNamingIt() throws IOException {
        Path p = tmp.resolve("q.safetensors");
        new SafetensorsTestWriter().raw("w", "Q9_X", new long[] {4}, new byte[4]).write(p);
        assertThatThrownBy(() -> SafetensorsFile.open(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q9_X").hasMessageContaining("w");
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path p = tmp.resolve("m.safetensors");
        new SafetensorsTestWriter().f32("w", new long[] {1}, 1f).write(p);
        try (SafetensorsFile f = SafetensorsFile.open(p)) {
            assertThatThrownBy(() -> f.tensor("lm_head.weight")).hasMessageContaining("lm_head.weight");
        }
    }

    @Test
    void headerLengthBeyondFileIsRejected() throws IOException {
        Path p = tmp.resolve("bad.safetensors");
        Files.write(p, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putInt(0).array());
        assertThatThrownBy(() -> SafetensorsFile.open(p))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header length 1000");
    }

    @Test
    void tooShortFileIsRejected() throws IOException {
        Path p = tmp.resolve("tiny.safetensors");
        Files.write(p, new byte[3]);
        assertThatThrownBy(() -> SafetensorsFile.open(p)).hasMessageContaining("shorter than the 8-byte header");
    }

    @Test
    void nonJsonHeaderIsRejected() throws IOException {
        Path p = tmp.resolve("nj.safetensors");
        new SafetensorsTestWriter().writeWithHeader(p, "{\"w\": {\"dtype\": ");
        assertThatThrownBy(() -> SafetensorsFile.open(p)).hasMessageContaining("not valid JSON");
        Path gguf = tmp.resolve("gguf.safetensors");
        new SafetensorsTestWriter().writeWithHeader(gguf, "GGUF....");
        assertThatThrownBy(() -> SafetensorsFile.open(gguf)).hasMessageContaining("does not start with '{'");
    }

    @Test
    void sizeThatDisagreesWithShapeIsRejected() throws IOException {
        Path p = tmp.resolve("size.safetensors");
        new SafetensorsTestWriter().raw("w", "F32", new long[] {2, 2}, new byte[12]).write(p);
        assertThatThrownBy(() -> SafetensorsFile.open(p))
                .hasMessageContaining("tensor w").hasMessageContaining("needs 16 bytes").hasMessageContaining("12");
    }

    @Test
    void offsetsPastTheEndAreRejected() throws IOException {
        Path p = tmp.resolve("trunc.safetensors");
        new SafetensorsTestWriter().f32("w", new long[] {2}, 1f, 2f)
                .writeWithHeader(p, "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        assertThatThrownBy(() -> SafetensorsFile.open(p)).hasMessageContaining("truncated");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        Path p = tmp.resolve("overlap.safetensors");
        new SafetensorsTestWriter().f32("w", new long[] {4}, 1f, 2f, 3f, 4f).writeWithHeader(p,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}");
        assertThatThrownBy(() -> SafetensorsFile.open(p)).hasMessageContaining("overlap");
    }

    @Test
    void malformedEntriesAreRejectedNamingTheTensor() throws IOException {
        Path p = tmp.resolve("neg.safetensors");
        new SafetensorsTestWriter().f32("w", new long[] {1}, 1f)
                .writeWithHeader(p, "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}");
        assertThatThrownBy(() -> SafetensorsFile.open(p)).hasMessageContaining("tensor w").hasMessageContaining("shape");
        Path q = tmp.resolve("nodtype.safetensors");
        new SafetensorsTestWriter().f32("w", new long[] {1}, 1f)
                .writeWithHeader(q, "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}");
        assertThatThrownBy(() -> SafetensorsFile.open(q)).hasMessageContaining("tensor w has no dtype");
    }
}
