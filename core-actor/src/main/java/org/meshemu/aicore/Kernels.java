package org.meshemu.aicore;

import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The exact numerics of the core's compute instructions, in fp32 with a fixed summation order (k
 * ascending, starting from the accumulator), so the same instruction gives the same bits anywhere.
 * Shape-only tiles (timing mode) give shape-only results.
 */
public final class Kernels {
    private Kernels() {}

    /** (accumulate ? c : 0) + a . b. */
    public static Tile gemm(Tile a, Tile b, Tile c, boolean accumulate) {
        if (a.cols() != b.rows()) throw new IllegalArgumentException("gemm " + a + " . " + b + ": inner sizes differ");
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (accumulate && (c == null || c.rows() != m || c.cols() != n)) {
            throw new IllegalArgumentException("gemm accumulates into " + c + ", needs " + m + "x" + n);
        }
        if (!a.hasData() || !b.hasData()) return Tile.shape(m, n, DType.FP32);
        float[] x = a.data(), y = b.data();
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = accumulate ? c.data()[i * n + j] : 0f;
                for (int p = 0; p < k; p++) acc += x[i * k + p] * y[p * n + j];
                out[i * n + j] = acc;
            }
        }
        return Tile.fp32(m, n, out);
    }

    public static Tile elementwise(Instruction.Op op, Tile a, Tile b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) throw new IllegalArgumentException(op + " of " + a + " and " + b + ": shapes differ");
        if (!a.hasData() || !b.hasData()) return Tile.shape(a.rows(), a.cols(), DType.FP32);
        float[] out = new float[a.elements()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (op) {
                case ADD -> a.data()[i] + b.data()[i];
                case MUL -> a.data()[i] * b.data()[i];
            };
        }
        return Tile.fp32(a.rows(), a.cols(), out);
    }

    public static Tile reduce(Tile t, Instruction.Axis axis) {
        int rows = axis == Instruction.Axis.ROWS ? 1 : t.rows();
        int cols = axis == Instruction.Axis.ROWS ? t.cols() : 1;
        if (!t.hasData()) return Tile.shape(rows, cols, DType.FP32);
        float[] out = new float[rows * cols];
        for (int r = 0; r < t.rows(); r++) {
            for (int c = 0; c < t.cols(); c++) {
                int o = axis == Instruction.Axis.ROWS ? c : r;
                out[o] += t.data()[r * t.cols() + c];
            }
        }
        return Tile.fp32(rows, cols, out);
    }
}
