package org.meshemu.workloads.checkpoint;

import java.util.Set;
import org.meshemu.tensor.Tensor;

/**
 * A set of named tensors, from files or from memory; the weight loaders read only through this.
 *
 * <p>{@link #location(String)} names where a tensor lives (or would live), for error messages.
 */
public interface TensorSource {

    Set<String> names();

    /** The tensor's header entry, or null when absent. */
    TensorInfo info(String name);

    /** The tensor's data; throws {@link CheckpointException} naming file and tensor when absent or unreadable. */
    Tensor read(String name);

    /** The file a tensor is in, or the file that would hold it when absent (e.g. the index file). */
    String location(String name);
}
