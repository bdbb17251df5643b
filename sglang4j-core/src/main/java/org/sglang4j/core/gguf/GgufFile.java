package org.sglang4j.core.gguf;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF (v2/v3) file, memory-mapped through FFM: metadata key/values, the tensor index, and a
 * {@link MemorySegment} slice per tensor. Nothing is copied onto the heap except the metadata, so files larger
 * than 2 GiB work and opening is cheap. Layout: {@code magic "GGUF", u32 version, u64 tensor_count,
 * u64 kv_count, kv pairs, tensor infos, padding to general.alignment, tensor data}.
 */
public final class GgufFile implements AutoCloseable {
    private static final int MAGIC = 0x46554747; // "GGUF" little-endian
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path path;
    private final Arena arena;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final long dataOffset;

    private GgufFile(Path path, Arena arena, int version, Map<String, Object> metadata,
                     Map<String, GgufTensorInfo> tensors, long dataOffset) {
        this.path = path;
        this.arena = arena;
        this.version = version;
        this.metadata = metadata;
        this.tensors = tensors;
        this.dataOffset = dataOffset;
    }

    /** Maps and parses {@code path}. The mapping stays valid until {@link #close()}. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return parse(path, arena, seg);
        } catch (RuntimeException | IOException e) {
            arena.close();
            throw e;
        }
    }

    /** True if {@code path} is a regular file that starts with the GGUF magic. */
    public static boolean isGguf(Path path) throws IOException {
        if (!Files.isRegularFile(path)) return false;
        try (InputStream in = Files.newInputStream(path)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 'G' && m[1] == 'G' && m[2] == 'U' && m[3] == 'F';
        }
    }

    private static GgufFile parse(Path path, Arena arena, MemorySegment seg) throws IOException {
        Cursor c = new Cursor(seg, path);
        if (seg.byteSize() < 24 || c.i32() != MAGIC) {
            throw new IOException(path + " is not a GGUF file (bad magic)");
        }
        int version = c.i32();
        if (version != 2 && version != 3) {
            throw new IOException(path + ": unsupported GGUF version " + version + " (supported: 2, 3)");
        }
        long tensorCount = c.i64();
        long kvCount = c.i64();
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = c.string();
            int type = c.i32();
            metadata.put(key, c.value(type));
        }
        record RawInfo(String name, long[] shape, GgmlType type, long offset) {}
        RawInfo[] raw = new RawInfo[Math.toIntExact(tensorCount)];
        for (int i = 0; i < raw.length; i++) {
            String name = c.string();
            int nDims = c.i32();
            long[] shape = new long[nDims];
            for (int d = 0; d < nDims; d++) shape[d] = c.i64();
            GgmlType type = GgmlType.fromId(c.i32());
            raw[i] = new RawInfo(name, shape, type, c.i64());
        }
        long alignment = metadata.get("general.alignment") instanceof Number n ? n.longValue() : 32;
        long dataOffset = (c.pos + alignment - 1) / alignment * alignment;
        Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
        for (RawInfo r : raw) {
            long elements = 1;
            for (long d : r.shape) elements *= d;
            long bytes = r.type.byteSize(elements);
            long start = dataOffset + r.offset;
            if (start + bytes > seg.byteSize()) {
                throw new IOException(path + ": tensor " + r.name + " extends past the end of the file");
            }
            tensors.put(r.name, new GgufTensorInfo(r.name, r.shape, r.type, r.offset, seg.asSlice(start, bytes)));
        }
        return new GgufFile(path, arena, version, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors), dataOffset);
    }

    public Path path() { return path; }

    public int version() { return version; }

    public long dataOffset() { return dataOffset; }

    public Map<String, Object> metadata() { return metadata; }

    public Map<String, GgufTensorInfo> tensors() { return tensors; }

    public boolean has(String key) { return metadata.containsKey(key); }

    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(path + ": missing tensor " + name);
        return t;
    }

    public GgufTensorInfo tensorOrNull(String name) { return tensors.get(name); }

    public String getString(String key) { return (String) require(key); }

    public String getString(String key, String dflt) {
        return metadata.get(key) instanceof String s ? s : dflt;
    }

    public int getInt(String key) { return ((Number) require(key)).intValue(); }

    public int getInt(String key, int dflt) {
        return metadata.get(key) instanceof Number n ? n.intValue() : dflt;
    }

    public long getLong(String key, long dflt) {
        return metadata.get(key) instanceof Number n ? n.longValue() : dflt;
    }

    public float getFloat(String key, float dflt) {
        return metadata.get(key) instanceof Number n ? n.floatValue() : dflt;
    }

    public boolean getBoolean(String key, boolean dflt) {
        return metadata.get(key) instanceof Boolean b ? b : dflt;
    }

    public String[] getStringArray(String key) {
        Object v = metadata.get(key);
        return v instanceof String[] a ? a : null;
    }

    public float[] getFloatArray(String key) {
        Object v = metadata.get(key);
        return v instanceof float[] a ? a : null;
    }

    public int[] getIntArray(String key) {
        Object v = metadata.get(key);
        return v instanceof int[] a ? a : null;
    }

    private Object require(String key) {
        Object v = metadata.get(key);
        if (v == null) throw new IllegalArgumentException(path + ": missing metadata key " + key);
        return v;
    }

    /**
     * Off-heap memory that lives exactly as long as the mapping (weights repacked at load time), freed by
     * {@link #close()}.
     */
    public MemorySegment allocate(long byteSize, long alignment) {
        return arena.allocate(byteSize, alignment);
    }

    @Override
    public void close() {
        arena.close();
    }

    /**
     * What unmaps the file, holding nothing else: a loaded model keeps this instead of the file, whose metadata
     * (the tokenizer's vocabulary and merges, 18 MB of strings for Qwen2) would otherwise stay on the heap.
     */
    public AutoCloseable mapping() {
        return arena::close;
    }

    /** Sequential little-endian reader over the mapped header. */
    private static final class Cursor {
        final MemorySegment seg;
        final Path path;
        long pos;
        byte[] buf = new byte[256];

        Cursor(MemorySegment seg, Path path) {
            this.seg = seg;
            this.path = path;
        }

        int i32() { int v = seg.get(I32, pos); pos += 4; return v; }
        long i64() { long v = seg.get(I64, pos); pos += 8; return v; }
        short i16() { short v = seg.get(I16, pos); pos += 2; return v; }
        byte i8() { return seg.get(ValueLayout.JAVA_BYTE, pos++); }
        float f32() { float v = seg.get(F32, pos); pos += 4; return v; }
        double f64() { double v = seg.get(F64, pos); pos += 8; return v; }

        String string() throws IOException {
            long len = i64();
            if (len < 0 || pos + len > seg.byteSize()) throw new IOException(path + ": corrupt string length " + len);
            int n = (int) len;
            if (buf.length < n) buf = new byte[Math.max(n, buf.length * 2)];
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, buf, 0, n);
            pos += n;
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case 0 -> i8() & 0xFF;
                case 1 -> (int) i8();
                case 2 -> i16() & 0xFFFF;
                case 3 -> (int) i16();
                case 4 -> i32() & 0xFFFFFFFFL;
                case 5 -> i32();
                case 6 -> f32();
                case 7 -> i8() != 0;
                case 8 -> string();
                case 9 -> array();
                case 10, 11 -> i64();
                case 12 -> f64();
                default -> throw new IOException(path + ": unknown GGUF metadata value type " + type);
            };
        }

        Object array() throws IOException {
            int type = i32();
            long count = i64();
            if (count < 0 || count > Integer.MAX_VALUE) throw new IOException(path + ": corrupt array length " + count);
            int n = (int) count;
            switch (type) {
                case 0, 1, 2, 3, 4, 5 -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) a[i] = ((Number) value(type)).intValue();
                    return a;
                }
                case 6 -> {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++) a[i] = f32();
                    return a;
                }
                case 7 -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) a[i] = i8() != 0;
                    return a;
                }
                case 8 -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) a[i] = string();
                    return a;
                }
                case 10, 11 -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) a[i] = i64();
                    return a;
                }
                case 12 -> {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) a[i] = f64();
                    return a;
                }
                default -> {
                    Object[] a = new Object[n];
                    for (int i = 0; i < n; i++) a[i] = value(type);
                    return a;
                }
            }
        }
    }
}
