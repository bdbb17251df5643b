package org.sglang4j.core.gguf;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3 files: used to generate random-weight models for tests and benchmarks (no model can be
 * downloaded here) and the built-in demo model. Metadata values are typed by their Java class: Integer → INT32,
 * Long → UINT64 ({@link #putUInt32} for UINT32, which llama.cpp requires for most integer keys), Float → FLOAT32, Double → FLOAT64, Boolean → BOOL, String → STRING, and arrays
 * (int[] → INT32, float[] → FLOAT32, String[] → STRING, long[] → INT64, boolean[] → BOOL). Tensor data is
 * passed already encoded in its ggml type.
 */
public final class GgufWriter {
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final int alignment = 32;

    private record PendingTensor(String name, long[] shape, GgmlType type, byte[] data) {}

    /** A metadata value to be written as GGUF UINT32. */
    private record UInt32(int bits) {}

    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Puts an unsigned 32-bit value. llama.cpp reads hyper-parameters ({@code llama.block_count}, …) and token ids
     * ({@code tokenizer.ggml.bos_token_id}) only with this exact type.
     */
    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(key + ": " + value + " does not fit in UINT32");
        }
        metadata.put(key, new UInt32((int) value));
        return this;
    }

    /** Copies every metadata key with the given prefix (e.g. {@code "tokenizer."}) from another file. */
    public GgufWriter copyMetadata(GgufFile from, String prefix) {
        from.metadata().forEach((k, v) -> {
            if (k.startsWith(prefix)) metadata.put(k, v);
        });
        return this;
    }

    /** Adds a tensor; {@code shape} in ggml order (innermost first), {@code data} encoded in {@code type}. */
    public GgufWriter addTensor(String name, long[] shape, GgmlType type, byte[] data) {
        long elements = 1;
        for (long d : shape) elements *= d;
        if (type.byteSize(elements) != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": " + type + " with " + elements + " elements needs "
                    + type.byteSize(elements) + " bytes, got " + data.length);
        }
        tensors.add(new PendingTensor(name, shape.clone(), type, data));
        return this;
    }

    /** Adds a float32 tensor. */
    public GgufWriter addF32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return addTensor(name, shape, GgmlType.F32, b.array());
    }

    /** Adds a float16 tensor (values rounded to nearest half). */
    public GgufWriter addF16(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putShort(Float.floatToFloat16(v));
        return addTensor(name, shape, GgmlType.F16, b.array());
    }

    public void write(Path path) throws IOException {
        try (OutputStream raw = Files.newOutputStream(path);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20))) {
            Le le = new Le(out);
            le.i32(0x46554747);
            le.i32(3);
            le.i64(tensors.size());
            le.i64(metadata.size() + (metadata.containsKey("general.alignment") ? 0 : 1));
            le.string("general.alignment");
            le.i32(4);
            le.i32(alignment);
            for (var e : metadata.entrySet()) {
                if (e.getKey().equals("general.alignment")) continue;
                le.string(e.getKey());
                le.value(e.getValue());
            }
            long offset = 0;
            for (PendingTensor t : tensors) {
                le.string(t.name);
                le.i32(t.shape.length);
                for (long d : t.shape) le.i64(d);
                le.i32(t.type.id);
                le.i64(offset);
                offset = align(offset + t.data.length);
            }
            le.pad(alignment);
            for (PendingTensor t : tensors) {
                out.write(t.data);
                le.written += t.data.length;
                le.pad(alignment);
            }
        }
    }

    private long align(long v) {
        return (v + alignment - 1) / alignment * alignment;
    }

    /** Little-endian primitive writer that tracks the byte position for padding. */
    private static final class Le {
        final DataOutputStream out;
        long written;

        Le(DataOutputStream out) {
            this.out = out;
        }

        void i32(int v) throws IOException { out.writeInt(Integer.reverseBytes(v)); written += 4; }
        void i64(long v) throws IOException { out.writeLong(Long.reverseBytes(v)); written += 8; }
        void f32(float v) throws IOException { i32(Float.floatToRawIntBits(v)); }
        void u8(int v) throws IOException { out.writeByte(v); written += 1; }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            out.write(b);
            written += b.length;
        }

        void pad(int alignment) throws IOException {
            while (written % alignment != 0) u8(0);
        }

        void value(Object v) throws IOException {
            switch (v) {
                case Integer i -> { i32(5); i32(i); }
                case UInt32 u -> { i32(4); i32(u.bits()); }
                case Long l -> { i32(10); i64(l); }
                case Float f -> { i32(6); f32(f); }
                case Double d -> { i32(12); i64(Double.doubleToRawLongBits(d)); }
                case Boolean b -> { i32(7); u8(b ? 1 : 0); }
                case String s -> { i32(8); string(s); }
                case int[] a -> { i32(9); i32(5); i64(a.length); for (int x : a) i32(x); }
                case float[] a -> { i32(9); i32(6); i64(a.length); for (float x : a) f32(x); }
                case long[] a -> { i32(9); i32(11); i64(a.length); for (long x : a) i64(x); }
                case boolean[] a -> { i32(9); i32(7); i64(a.length); for (boolean x : a) u8(x ? 1 : 0); }
                case String[] a -> { i32(9); i32(8); i64(a.length); for (String x : a) string(x); }
                default -> throw new IllegalArgumentException("unsupported GGUF metadata value " + v.getClass());
            }
        }
    }
}
