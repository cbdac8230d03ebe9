package org.meshemu.workloads.checkpoint;

import java.util.Arrays;

/**
 * A tensor read from (or to be written to) a checkpoint: row-major data plus its shape.
 *
 * <p>Shape {@code []} is a scalar with one element. The arrays are shared, not copied: treat them as immutable.
 */
public sealed interface Tensor permits Tensor.Floats, Tensor.Bytes, Tensor.Ints {

    int[] shape();

    /** Number of elements, the product of the shape (1 for a scalar). */
    default long numel() {
        return elementCount(shape());
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** F32/BF16/F16 data widened to float; {@code storedAs} is the file's type (what a writer should emit). */
    record Floats(int[] shape, float[] data, DType storedAs) implements Tensor {
        public Floats {
            if (!storedAs.isFloating() || data.length != elementCount(shape)) {
                throw new IllegalArgumentException("float tensor " + Arrays.toString(shape) + " as " + storedAs
                        + " with " + data.length + " elements");
            }
        }

        public Floats(int[] shape, float[] data) {
            this(shape, data, DType.F32);
        }
    }

    /** U8 or I8 data, unconverted. */
    record Bytes(int[] shape, byte[] data, DType storedAs) implements Tensor {
        public Bytes {
            if (storedAs.bytes() != 1 || data.length != elementCount(shape)) {
                throw new IllegalArgumentException("byte tensor " + Arrays.toString(shape) + " as " + storedAs
                        + " with " + data.length + " elements");
            }
        }
    }

    /** I32 data. */
    record Ints(int[] shape, int[] data) implements Tensor {
        public Ints {
            if (data.length != elementCount(shape)) {
                throw new IllegalArgumentException("int tensor " + Arrays.toString(shape) + " with " + data.length
                        + " elements");
            }
        }
    }
}
