package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tensor;

/**
 * The tensors of a checkpoint directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}.
 *
 * <p>Contract: every shard is opened and validated up front, and every name in the index's
 * {@code weight_map} must be present in the shard it points to (and vice versa), so that later reads can only
 * fail on I/O. Close it to release the shard files.
 */
public final class SafetensorsCheckpoint implements TensorSource, AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final String missingLocation;
    private final Map<String, SafetensorsReader> byTensor;
    private final Map<String, SafetensorsReader> shards;

    private SafetensorsCheckpoint(String missingLocation, Map<String, SafetensorsReader> byTensor,
                                  Map<String, SafetensorsReader> shards) {
        this.missingLocation = missingLocation;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    public static SafetensorsCheckpoint open(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(dir, index);
        }
        Path single = dir.resolve(SINGLE_FILE);
        if (!Files.isRegularFile(single)) {
            throw new CheckpointException(dir + ": neither " + SINGLE_FILE + " nor " + INDEX_FILE + " found");
        }
        SafetensorsReader r = SafetensorsReader.open(single);
        Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
        r.names().forEach(n -> byTensor.put(n, r));
        return new SafetensorsCheckpoint(SINGLE_FILE, Collections.unmodifiableMap(byTensor),
                Map.of(SINGLE_FILE, r));
    }

    private static SafetensorsCheckpoint openSharded(Path dir, Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException(INDEX_FILE + ": not valid JSON (" + e.getMessage().replace('\n', ' ')
                    + ")", e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new CheckpointException(INDEX_FILE + ": missing object 'weight_map'");
        }
        Map<String, SafetensorsReader> shards = new LinkedHashMap<>();
        Map<String, SafetensorsReader> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                String file = e.getValue().asText();
                if (!e.getValue().isTextual() || file.contains("/") || file.contains("\\") || file.equals("..")) {
                    throw CheckpointException.tensor(INDEX_FILE, e.getKey(), "weight_map value " + e.getValue()
                            + " is not a file name in the checkpoint directory");
                }
                SafetensorsReader r = shards.get(file);
                if (r == null) {
                    Path p = dir.resolve(file);
                    if (!Files.isRegularFile(p)) {
                        throw CheckpointException.tensor(INDEX_FILE, e.getKey(), "shard " + file + " does not exist");
                    }
                    r = SafetensorsReader.open(p);
                    shards.put(file, r);
                }
                if (r.info(e.getKey()) == null) {
                    throw CheckpointException.tensor(file, e.getKey(), "listed in " + INDEX_FILE
                            + " but missing from the shard");
                }
                byTensor.put(e.getKey(), r);
            }
            for (Map.Entry<String, SafetensorsReader> s : shards.entrySet()) {
                for (String name : s.getValue().names()) {
                    if (byTensor.get(name) != s.getValue()) {
                        throw CheckpointException.tensor(s.getKey(), name, "present in the shard but "
                                + INDEX_FILE + " maps it " + (byTensor.containsKey(name) ? "elsewhere" : "nowhere"));
                    }
                }
            }
        } catch (RuntimeException ex) {
            shards.values().forEach(SafetensorsReader::close);
            throw ex;
        }
        return new SafetensorsCheckpoint(INDEX_FILE, Collections.unmodifiableMap(byTensor),
                Collections.unmodifiableMap(shards));
    }

    /** The files read, relative to the directory: the index (if sharded), then the shards. */
    public java.util.List<String> files() {
        java.util.List<String> files = new java.util.ArrayList<>();
        if (missingLocation.equals(INDEX_FILE)) files.add(INDEX_FILE);
        files.addAll(shards.keySet());
        return files;
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        SafetensorsReader r = byTensor.get(name);
        return r == null ? null : r.info(name);
    }

    @Override
    public Tensor read(String name) {
        SafetensorsReader r = byTensor.get(name);
        if (r == null) {
            throw CheckpointException.tensor(missingLocation, name, "missing");
        }
        return r.read(name);
    }

    @Override
    public Stored matrix(String name, int rows, int cols) {
        return shard(name).matrix(name, rows, cols);
    }

    @Override
    public Stored packedTernary(String name, int out, int in) {
        return shard(name).packedTernary(name, out, in);
    }

    @Override
    public long firstNonFinite(String name, int rows, int cols) {
        return shard(name).firstNonFinite(name, rows, cols);
    }

    private SafetensorsReader shard(String name) {
        SafetensorsReader r = byTensor.get(name);
        if (r == null) {
            throw CheckpointException.tensor(missingLocation, name, "missing");
        }
        return r;
    }

    @Override
    public String location(String name) {
        SafetensorsReader r = byTensor.get(name);
        return r == null ? missingLocation : SafetensorsReader.displayName(r.path());
    }

    @Override
    public void close() {
        shards.values().forEach(SafetensorsReader::close);
    }
}
