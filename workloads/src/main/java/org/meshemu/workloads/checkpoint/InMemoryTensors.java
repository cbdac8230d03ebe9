package org.meshemu.workloads.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.meshemu.tensor.Tensor;

/**
 * Named tensors held in memory, presented as if they were the checkpoint file {@code location}.
 *
 * <p>Used to build weights without a file (seeded scenarios) through the same validating loaders as files.
 */
public final class InMemoryTensors implements TensorSource {
    private final String location;
    private final Map<String, Tensor> tensors;

    public InMemoryTensors(String location, Map<String, Tensor> tensors) {
        this.location = location;
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            return null;
        }
        return new TensorInfo(name, t.dtype(), t.shape(), 0, SafetensorsTypes.bytes(t.dtype(), t.numel()));
    }

    @Override
    public Tensor read(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw CheckpointException.tensor(location, name, "missing");
        }
        return t;
    }

    @Override
    public String location(String name) {
        return location;
    }
}
