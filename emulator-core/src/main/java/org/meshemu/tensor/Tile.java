package org.meshemu.tensor;

import java.util.Objects;

/**
 * A rows x cols tile of a tensor, row-major. In {@code full} payload mode {@code data} holds its
 * values (as fp32: exact for every supported dtype's values); in {@code timing} mode it is null and
 * the tile is only a shape. Tiles are immutable by contract: never write into {@code data} after
 * the tile was created, since the same array may be in flight to several components.
 */
public record Tile(int rows, int cols, DType dtype, float[] data) {
    public Tile {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("tile shape must be >= 1x1, got " + rows + "x" + cols);
        Objects.requireNonNull(dtype, "dtype");
        if (data != null && data.length != rows * cols) {
            throw new IllegalArgumentException("tile " + rows + "x" + cols + " has " + data.length + " values");
        }
    }

    /** A shape-only tile (timing mode). */
    public static Tile shape(int rows, int cols, DType dtype) {
        return new Tile(rows, cols, dtype, null);
    }

    public static Tile fp32(int rows, int cols, float[] data) {
        return new Tile(rows, cols, DType.FP32, data);
    }

    public boolean hasData() { return data != null; }

    public int elements() { return rows * cols; }

    /** Storage size in bytes. */
    public long bytes() { return dtype.bytes((long) rows * cols); }

    public float get(int r, int c) { return data[r * cols + c]; }

    @Override
    public String toString() {
        return "Tile[" + rows + "x" + cols + " " + dtype.key() + (data == null ? " shape-only" : "") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tile t && rows == t.rows && cols == t.cols && dtype == t.dtype && java.util.Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, cols, dtype, java.util.Arrays.hashCode(data));
    }
}
