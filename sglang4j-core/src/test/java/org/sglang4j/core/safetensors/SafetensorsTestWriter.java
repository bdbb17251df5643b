package org.sglang4j.core.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes safetensors files byte by byte, independently of the reader, so tests can feed it exact layouts. */
final class SafetensorsTestWriter {
    private record Entry(String name, String dtype, long[] shape, byte[] data) {}

    private final List<Entry> entries = new ArrayList<>();
    private String metadataJson;
    private int headerPadding;

    SafetensorsTestWriter metadata(String json) {
        metadataJson = json;
        return this;
    }

    /** Trailing spaces after the JSON header, as writers use to align the data section. */
    SafetensorsTestWriter headerPadding(int spaces) {
        headerPadding = spaces;
        return this;
    }

    SafetensorsTestWriter raw(String name, String dtype, long[] shape, byte[] data) {
        entries.add(new Entry(name, dtype, shape, data));
        return this;
    }

    SafetensorsTestWriter f32(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return raw(name, "F32", shape, b.array());
    }

    SafetensorsTestWriter f16(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putShort(Float.floatToFloat16(v));
        return raw(name, "F16", shape, b.array());
    }

    /** BF16 by truncation: callers pass values whose low 16 float bits are zero, so nothing is lost. */
    SafetensorsTestWriter bf16(String name, long[] shape, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        return raw(name, "BF16", shape, b.array());
    }

    String headerJson() {
        StringBuilder json = new StringBuilder("{");
        if (metadataJson != null) json.append("\"__metadata__\":").append(metadataJson);
        long offset = 0;
        for (Entry e : entries) {
            if (json.length() > 1) json.append(',');
            json.append('"').append(e.name).append("\":{\"dtype\":\"").append(e.dtype).append("\",\"shape\":[");
            for (int i = 0; i < e.shape.length; i++) json.append(i == 0 ? "" : ",").append(e.shape[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + e.data.length).append("]}");
            offset += e.data.length;
        }
        return json.append('}').toString();
    }

    void write(Path path) throws IOException {
        writeWithHeader(path, headerJson());
    }

    /** Writes the tensors' data after an arbitrary header (for malformed-header tests). */
    void writeWithHeader(Path path, String header) throws IOException {
        byte[] h = (header + " ".repeat(headerPadding)).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        for (Entry e : entries) out.write(e.data);
        Files.write(path, out.toByteArray());
    }
}
