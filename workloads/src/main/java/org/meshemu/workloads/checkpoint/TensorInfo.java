package org.meshemu.workloads.checkpoint;

import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;

/**
 * One entry of a safetensors header: the tensor's type, shape and byte range relative to the data section.
 *
 * @param begin first byte, relative to byte 8 + N of the file
 * @param end   one past the last byte
 */
public record TensorInfo(String name, DType dtype, int[] shape, long begin, long end) {
    public long numel() {
        return Tensor.elementCount(shape);
    }
}
