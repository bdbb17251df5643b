package org.sglang4j.core.safetensors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A safetensors file, memory-mapped through FFM. Layout: {@code u64 (little-endian) header length N}, {@code N}
 * bytes of UTF-8 JSON ({@code {"name": {"dtype": "F16", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {string: string}}}, possibly padded with spaces), then the data section; offsets are relative
 * to the start of the data section. Only the header is read onto the heap, so files larger than 2 GiB work and
 * opening is cheap. A malformed header is rejected with an {@link IllegalArgumentException} naming the file and
 * the problem.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** Same bound as the reference implementation: a larger header is surely corrupt. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path path;
    private final Arena arena;
    private final Map<String, String> metadata;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsFile(Path path, Arena arena, Map<String, String> metadata,
                            Map<String, SafetensorsTensor> tensors) {
        this.path = path;
        this.arena = arena;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** Maps and parses {@code path}. The tensor segments stay valid until {@link #close()}. */
    public static SafetensorsFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return parse(path, arena, file);
        } catch (RuntimeException | IOException e) {
            arena.close();
            throw e;
        }
    }

    private static SafetensorsFile parse(Path path, Arena arena, MemorySegment file) {
        long size = file.byteSize();
        if (size < 8) throw bad(path, "file is " + size + " bytes, shorter than the 8-byte header length");
        long headerLen = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen <= 0 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
            throw bad(path, "header length " + Long.toUnsignedString(headerLen) + " is invalid for a file of "
                    + size + " bytes");
        }
        JsonNode header = readHeader(path, file.asSlice(8, headerLen));
        MemorySegment data = file.asSlice(8 + headerLen);

        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>(); // {begin, end, index into names}
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : header.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw bad(path, "__metadata__ must be an object of strings");
                for (Map.Entry<String, JsonNode> m : v.properties()) {
                    if (!m.getValue().isString()) throw bad(path, "__metadata__." + m.getKey() + " is not a string");
                    metadata.put(m.getKey(), m.getValue().stringValue());
                }
                continue;
            }
            SafetensorsTensor t = tensor(path, name, v, data);
            tensors.put(name, t);
            long begin = t.data().address() - data.address();
            ranges.add(new long[] {begin, begin + t.data().byteSize(), names.size()});
            names.add(name);
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] prev = ranges.get(i - 1), cur = ranges.get(i);
            if (cur[0] < prev[1]) {
                throw bad(path, "tensors " + names.get((int) prev[2]) + " and " + names.get((int) cur[2])
                        + " overlap in the data section");
            }
        }
        return new SafetensorsFile(path, arena, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors));
    }

    private static JsonNode readHeader(Path path, MemorySegment bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toArray(ValueLayout.JAVA_BYTE)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw bad(path, "header is not valid UTF-8");
        }
        if (!text.startsWith("{")) throw bad(path, "header does not start with '{' (not a safetensors file?)");
        JsonNode header;
        try {
            header = JSON.readTree(text);
        } catch (JacksonException e) {
            throw bad(path, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) throw bad(path, "header is not a JSON object");
        return header;
    }

    private static SafetensorsTensor tensor(Path path, String name, JsonNode v, MemorySegment data) {
        if (!v.isObject()) throw bad(path, "entry for tensor " + name + " is not an object");
        JsonNode dtypeNode = v.get("dtype");
        if (dtypeNode == null || !dtypeNode.isString()) throw bad(path, "tensor " + name + " has no dtype");
        SafetensorsDtype dtype;
        try {
            dtype = SafetensorsDtype.of(dtypeNode.stringValue());
        } catch (IllegalArgumentException e) {
            throw bad(path, "tensor " + name + ": " + e.getMessage());
        }
        long[] shape = longs(path, name, "shape", v.get("shape"));
        long[] offsets = longs(path, name, "data_offsets", v.get("data_offsets"));
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw bad(path, "tensor " + name + ": data_offsets must be [begin, end] with begin <= end");
        }
        long elements = 1;
        try {
            for (long d : shape) elements = Math.multiplyExact(elements, d);
            long expected = Math.multiplyExact(elements, dtype.byteSize());
            if (offsets[1] - offsets[0] != expected) {
                throw bad(path, "tensor " + name + ": " + dtype + " shape " + java.util.Arrays.toString(shape)
                        + " needs " + expected + " bytes but data_offsets span " + (offsets[1] - offsets[0]));
            }
        } catch (ArithmeticException e) {
            throw bad(path, "tensor " + name + ": shape " + java.util.Arrays.toString(shape) + " is too large");
        }
        if (offsets[1] > data.byteSize()) {
            throw bad(path, "tensor " + name + " ends at byte " + offsets[1] + " of a data section of "
                    + data.byteSize() + " bytes (file truncated?)");
        }
        return new SafetensorsTensor(name, dtype, shape, data.asSlice(offsets[0], offsets[1] - offsets[0]));
    }

    private static long[] longs(Path path, String tensor, String field, JsonNode node) {
        if (node == null || !node.isArray()) throw bad(path, "tensor " + tensor + ": " + field + " must be an array");
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = node.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
                throw bad(path, "tensor " + tensor + ": " + field + " must hold non-negative integers, got " + node);
            }
            out[i] = n.longValue();
        }
        return out;
    }

    private static IllegalArgumentException bad(Path path, String problem) {
        return new IllegalArgumentException(path + ": bad safetensors file: " + problem);
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} string map (often {@code {"format": "pt"}}); empty when absent. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor in header order, whatever its dtype. */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor {@code name}, which must be F32, F16 or BF16: a missing tensor is an
     * {@link IllegalArgumentException}, another dtype an {@link UnsupportedOperationException}, both naming it.
     */
    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(path + ": missing tensor " + name);
        if (!t.dtype().isFloatReadable()) throw t.unsupported();
        return t;
    }

    @Override
    public void close() {
        arena.close();
    }
}
