package org.meshemu.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A rows x cols tile of a tensor, row-major. In {@code full} payload mode it holds its values: as fp32
 * in {@code data} (exact for every supported dtype's values), or, for a weight, as its checkpoint stores
 * them in {@code stored} (bf16, packed ternary, fp32; often a view of the mapped file), which the core
 * widens where an instruction consumes it; in {@code timing} mode both are null and the tile is only a
 * shape. {@code dtype} is the type the hardware model moves and computes with (it sets every size and so
 * every timing), whatever form the values are held in. Tiles are immutable by contract: never write into
 * {@code data} after the tile was created, since the same array may be in flight to several components.
 */
public record Tile(int rows, int cols, DType dtype, float[] data, Stored stored) {
    public Tile {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("tile shape must be >= 1x1, got " + rows + "x" + cols);
        Objects.requireNonNull(dtype, "dtype");
        if (data != null && data.length != rows * cols) {
            throw new IllegalArgumentException("tile " + rows + "x" + cols + " has " + data.length + " values");
        }
        if (stored != null && (data != null || stored.rows() != rows || stored.cols() != cols)) {
            throw new IllegalArgumentException("tile " + rows + "x" + cols + " cannot hold " + stored + (data != null ? " beside fp32 values" : ""));
        }
    }

    /** A tile of fp32-held values (or a shape, when data is null). */
    public Tile(int rows, int cols, DType dtype, float[] data) {
        this(rows, cols, dtype, data, null);
    }

    /** A shape-only tile (timing mode). */
    public static Tile shape(int rows, int cols, DType dtype) {
        return new Tile(rows, cols, dtype, null, null);
    }

    public static Tile fp32(int rows, int cols, float[] data) {
        return new Tile(rows, cols, DType.FP32, data, null);
    }

    /** A tile of type {@code dtype} whose values are held as stored (shape-only when stored is null). */
    public static Tile of(DType dtype, Stored stored, int rows, int cols) {
        return new Tile(rows, cols, dtype, null, stored);
    }

    public boolean hasData() { return data != null || stored != null; }

    public int elements() { return rows * cols; }

    /** Storage size in bytes, as the hardware model holds it. */
    public long bytes() { return dtype.bytes((long) rows * cols); }

    /** The heap bytes the values take in this JVM: 4 per fp32-held value, the stored form's heap size, or 0. */
    public long heapBytes() {
        return data != null ? 4L * data.length : stored != null ? stored.heapBytes() : 0;
    }

    /** The values as fp32: {@code data} itself, or the stored values widened into a new array. */
    public float[] floats() {
        return stored != null ? stored.widen() : data;
    }

    /** This tile with its values held as fp32 (itself unless stored). */
    public Tile widened() {
        return stored == null ? this : new Tile(rows, cols, dtype, stored.widen(), null);
    }

    public float get(int r, int c) { return stored != null ? stored.get(r, c) : data[r * cols + c]; }

    @Override
    public String toString() {
        return "Tile[" + rows + "x" + cols + " " + dtype.key() + (hasData() ? stored != null ? " as " + stored : "" : " shape-only") + "]";
    }

    /** Equal shape, type and values, whichever form holds them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tile t && rows == t.rows && cols == t.cols && dtype == t.dtype && hasData() == t.hasData()
                && (stored == null && t.stored == null ? Arrays.equals(data, t.data) : Arrays.equals(floats(), t.floats()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, cols, dtype, Arrays.hashCode(floats()));
    }
}
