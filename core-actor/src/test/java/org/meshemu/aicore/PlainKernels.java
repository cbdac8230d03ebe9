package org.meshemu.aicore;

import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The matrix kernels as plain loops, one output element at a time: what {@link Kernels} computed before
 * its register tiles and reused tables. Not on the product's path: the oracle of
 * {@code KernelsMatchPlainLoopsTest} and the baseline of the JMH benchmarks ({@code src/jmh}).
 */
public final class PlainKernels {
    private PlainKernels() {}

    /** (accumulate ? c : 0) + a . b, k ascending per element; int8 . int8 in int64. */
    public static Tile gemm(Tile a, Tile b, Tile c, boolean accumulate) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        DType type = Kernels.gemmType(a.dtype(), b.dtype());
        float[] x = a.data(), y = b.data();
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (type == DType.INT32) {
                    long acc = accumulate ? (long) c.data()[i * n + j] : 0;
                    for (int p = 0; p < k; p++) acc += (long) x[i * k + p] * (long) y[p * n + j];
                    out[i * n + j] = acc;
                } else {
                    float acc = accumulate ? c.data()[i * n + j] : 0f;
                    for (int p = 0; p < k; p++) acc += x[i * k + p] * y[p * n + j];
                    out[i * n + j] = acc;
                }
            }
        }
        return new Tile(m, n, type, out);
    }

    /** The LUT-GEMM one activation column at a time, with fresh tables per column and a branch per lookup. */
    public static Tile lutGemm(Tile w, Tile x, int g) {
        int m = w.rows(), k = w.cols(), n = x.cols();
        float[] out = new float[m * n];
        for (int t = 0; t < n; t++) {
            float[] column = new float[k];
            for (int i = 0; i < k; i++) column[i] = x.data()[i * n + t];
            float[] col = lutColumn(w, column, g);
            for (int i = 0; i < m; i++) out[i * n + t] = col[i];
        }
        return new Tile(m, n, DType.INT32, out);
    }

    private static float[] lutColumn(Tile w, float[] x, int g) {
        int m = w.rows(), k = w.cols();
        int groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        int[] table = lutTables(x, g);
        float[] out = new float[m];
        for (int i = 0; i < m; i++) {
            long plus = 0, minus = 0;
            for (int q = 0; q < groups; q++) {
                int up = 0, un = 0;
                for (int b = 0; b < g && q * g + b < k; b++) {
                    int v = (int) w.data()[i * k + q * g + b];
                    if (v == 1) up |= 1 << b;
                    else if (v == -1) un |= 1 << b;
                    else if (v != 0) throw new IllegalArgumentException("lut-gemm: weight " + v + " at (" + i + ", " + (q * g + b) + ") is not ternary");
                }
                plus += lookup(table, q * half, up, g);
                minus += lookup(table, q * half, un, g);
            }
            out[i] = (plus - minus) / 2;
        }
        return out;
    }

    private static int[] lutTables(float[] x, int g) {
        int k = x.length, groups = Math.ceilDiv(k, g), half = 1 << (g - 1);
        int[] t = new int[groups * half];
        for (int q = 0; q < groups; q++) {
            int base = q * half;
            int first = at(x, q * g + g - 1);
            for (int b = 0; b < g - 1; b++) first -= at(x, q * g + b);
            t[base] = first;
            for (int u = 1; u < half; u++) {
                int j = Integer.numberOfTrailingZeros(u);
                t[base + u] = t[base + (u & (u - 1))] + 2 * at(x, q * g + j);
            }
        }
        return t;
    }

    private static int lookup(int[] table, int base, int u, int g) {
        int mask = (1 << (g - 1)) - 1;
        return (u >>> (g - 1) & 1) == 1 ? table[base + (u & mask)] : -table[base + (~u & mask)];
    }

    private static int at(float[] x, int i) {
        return i < x.length ? (int) x[i] : 0;
    }
}
