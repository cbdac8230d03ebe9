package org.meshemu.aicore.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import org.meshemu.tensor.Tile;

/**
 * The fp32 GEMM with the JDK's Vector API (jdk.incubator.vector), measured beside the product's plain
 * loops to weigh what the module would bring; never on the product's path. Each output element is still
 * one chain in k order with the product rounded before the add (mul then add, no fma): lanes run
 * different outputs' chains. n >= 2: register tiles of 4 rows x one vector of columns; n = 1: one
 * vector of rows, gathered (their weights are k apart).
 */
final class VectorApiGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorApiGemm() {}

    static Tile gemm(Tile a, Tile b) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        float[] out = new float[m * n];
        if (n == 1) gemv(a.data(), b.data(), out, m, k);
        else tiles(a.data(), b.data(), out, m, k, n);
        return Tile.fp32(m, n, out);
    }

    private static void gemv(float[] a, float[] b, float[] out, int m, int k) {
        int lanes = S.length();
        int[] rows = new int[lanes];
        for (int i = 0; i < m; i += lanes) {
            for (int l = 0; l < lanes; l++) rows[l] = (Math.min(i + l, m - 1) - i) * k;
            VectorMask<Float> valid = S.indexInRange(i, m);
            FloatVector s = FloatVector.fromArray(S, out, i, valid);
            for (int p = 0; p < k; p++) s = s.add(FloatVector.fromArray(S, a, i * k + p, rows, 0).mul(b[p]));
            s.intoArray(out, i, valid);
        }
    }

    private static void tiles(float[] a, float[] b, float[] out, int m, int k, int n) {
        int lanes = S.length();
        for (int i = 0; i < m; i += 4) {
            int i1 = Math.min(i + 1, m - 1), i2 = Math.min(i + 2, m - 1), i3 = Math.min(i + 3, m - 1);
            for (int j = 0; j < n; j += lanes) {
                if (j + lanes <= n) full(a, b, out, k, n, i, i1, i2, i3, j);
                else part(a, b, out, k, n, i, i1, i2, i3, j, S.indexInRange(j, n));
            }
        }
    }

    private static void full(float[] a, float[] b, float[] out, int k, int n, int i0, int i1, int i2, int i3, int j) {
        int r0 = i0 * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k;
        FloatVector s0 = FloatVector.fromArray(S, out, i0 * n + j), s1 = FloatVector.fromArray(S, out, i1 * n + j);
        FloatVector s2 = FloatVector.fromArray(S, out, i2 * n + j), s3 = FloatVector.fromArray(S, out, i3 * n + j);
        for (int p = 0, bp = j; p < k; p++, bp += n) {
            FloatVector v = FloatVector.fromArray(S, b, bp);
            s0 = s0.add(v.mul(a[r0 + p]));
            s1 = s1.add(v.mul(a[r1 + p]));
            s2 = s2.add(v.mul(a[r2 + p]));
            s3 = s3.add(v.mul(a[r3 + p]));
        }
        s0.intoArray(out, i0 * n + j);
        s1.intoArray(out, i1 * n + j);
        s2.intoArray(out, i2 * n + j);
        s3.intoArray(out, i3 * n + j);
    }

    private static void part(float[] a, float[] b, float[] out, int k, int n, int i0, int i1, int i2, int i3, int j, VectorMask<Float> mask) {
        int r0 = i0 * k, r1 = i1 * k, r2 = i2 * k, r3 = i3 * k;
        FloatVector s0 = FloatVector.fromArray(S, out, i0 * n + j, mask), s1 = FloatVector.fromArray(S, out, i1 * n + j, mask);
        FloatVector s2 = FloatVector.fromArray(S, out, i2 * n + j, mask), s3 = FloatVector.fromArray(S, out, i3 * n + j, mask);
        for (int p = 0, bp = j; p < k; p++, bp += n) {
            FloatVector v = FloatVector.fromArray(S, b, bp, mask);
            s0 = s0.add(v.mul(a[r0 + p]));
            s1 = s1.add(v.mul(a[r1 + p]));
            s2 = s2.add(v.mul(a[r2 + p]));
            s3 = s3.add(v.mul(a[r3 + p]));
        }
        s0.intoArray(out, i0 * n + j, mask);
        s1.intoArray(out, i1 * n + j, mask);
        s2.intoArray(out, i2 * n + j, mask);
        s3.intoArray(out, i3 * n + j, mask);
    }
}
