package org.meshemu.workloads;

import java.util.SplittableRandom;
import org.meshemu.kernel.SplitMix;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/** Seeded input data, the same for a given (seed, stream) on any machine. */
public final class Inputs {
    private Inputs() {}

    /** A rows x cols matrix of values uniform in [-1, 1), row-major. */
    public static float[] uniform(long seed, int stream, int rows, int cols) {
        SplittableRandom r = new SplittableRandom(SplitMix.streamState(seed, stream));
        float[] m = new float[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = (float) (r.nextDouble() * 2 - 1);
        return m;
    }

    /** The rows x cols block of a row-major matrix of width {@code width} whose top-left is (row, col), as a tile. */
    public static Tile block(float[] matrix, int width, int row, int col, int rows, int cols, boolean withData) {
        if (!withData) return Tile.shape(rows, cols, DType.FP32);
        float[] b = new float[rows * cols];
        for (int r = 0; r < rows; r++) System.arraycopy(matrix, (row + r) * width + col, b, r * cols, cols);
        return Tile.fp32(rows, cols, b);
    }
}
