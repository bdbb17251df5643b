package org.sglang4j.core.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The weights of a Hugging Face model directory: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"weight_map": {tensor name: shard file}}}), seen as one
 * name → tensor map. With neither, every {@code *.safetensors} file in the directory is opened. Tensor names are
 * the checkpoint's own ({@code model.layers.0.self_attn.q_proj.weight}); mapping them onto an architecture is
 * the model loader's job.
 */
public final class SafetensorsModel implements AutoCloseable {
    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String SINGLE_FILE = "model.safetensors";

    private final Path dir;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsTensor> tensors;

    private SafetensorsModel(Path dir, List<SafetensorsFile> shards, Map<String, SafetensorsTensor> tensors) {
        this.dir = dir;
        this.shards = shards;
        this.tensors = tensors;
    }

    /** Opens the weights in {@code dir} (or the single file {@code dir} if it is a {@code .safetensors} file). */
    public static SafetensorsModel open(Path dir) throws IOException {
        if (Files.isRegularFile(dir)) return fromFiles(dir.getParent(), List.of(dir));
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " does not exist");
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) return fromIndex(dir, index);
        if (Files.isRegularFile(dir.resolve(SINGLE_FILE))) return fromFiles(dir, List.of(dir.resolve(SINGLE_FILE)));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException(dir + " contains no .safetensors files");
        return fromFiles(dir, files);
    }

    private static SafetensorsModel fromIndex(Path dir, Path index) throws IOException {
        JsonNode weightMap;
        try {
            weightMap = JsonMapper.builder().build().readTree(Files.readString(index)).get("weight_map");
        } catch (JacksonException e) {
            throw new IllegalArgumentException(index + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (weightMap == null || !weightMap.isObject()) {
            throw new IllegalArgumentException(index + " has no \"weight_map\" object");
        }
        Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                String shard = e.getValue().asString();
                Path shardPath = dir.resolve(shard).normalize();
                if (!shardPath.startsWith(dir.normalize())) {
                    throw new IllegalArgumentException(index + ": shard " + shard + " lies outside " + dir);
                }
                SafetensorsFile f = byShard.get(shard);
                if (f == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new IllegalArgumentException(index + " maps " + e.getKey() + " to " + shard
                                + ", which is missing from " + dir);
                    }
                    f = SafetensorsFile.open(shardPath);
                    byShard.put(shard, f);
                }
                SafetensorsTensor t = f.tensors().get(e.getKey());
                if (t == null) {
                    throw new IllegalArgumentException(index + " maps " + e.getKey() + " to " + shard
                            + ", but that shard has no such tensor");
                }
                tensors.put(e.getKey(), t);
            }
        } catch (RuntimeException | IOException e) {
            byShard.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsModel(dir, List.copyOf(byShard.values()), Collections.unmodifiableMap(tensors));
    }

    private static SafetensorsModel fromFiles(Path dir, List<Path> files) throws IOException {
        List<SafetensorsFile> shards = new ArrayList<>();
        Map<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        try {
            for (Path p : files) {
                SafetensorsFile f = SafetensorsFile.open(p);
                shards.add(f);
                for (SafetensorsTensor t : f.tensors().values()) {
                    if (tensors.putIfAbsent(t.name(), t) != null) {
                        throw new IllegalArgumentException("tensor " + t.name() + " appears in more than one file of "
                                + dir + " (" + p.getFileName() + ")");
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            shards.forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsModel(dir, List.copyOf(shards), Collections.unmodifiableMap(tensors));
    }

    public Path dir() {
        return dir;
    }

    /** The opened shard files, in index order. */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    /** Every tensor across shards, whatever its dtype. */
    public Map<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Same contract as {@link SafetensorsFile#tensor(String)}, across all shards. */
    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(dir + ": missing tensor " + name);
        if (!t.dtype().isFloatReadable()) throw t.unsupported();
        return t;
    }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
