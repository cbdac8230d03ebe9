package org.meshemu.aicore;

import org.meshemu.tensor.DType;

/** The shape and element type of a tile in an SRAM slot, as the program checker and vector ops reason about it. */
public record Shape(int rows, int cols, DType dtype) {
    public long bytes() { return dtype.bytes((long) rows * cols); }

    public int elements() { return rows * cols; }

    /** A column vector of n fp32 values (how programs hold activations). */
    public static Shape vector(int n) { return new Shape(n, 1, DType.FP32); }
}
