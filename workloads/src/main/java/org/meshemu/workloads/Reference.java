package org.meshemu.workloads;

/** Plain-Java linear algebra for references: straight loops, no blocking, written independently of any mapping. */
public final class Reference {
    private Reference() {}

    /**
     * C[m x n] = A[m x k] . B[k x n], each element summed over k in ascending order. The loop runs
     * over k outside j, so that B is read along its rows; each element still adds its products in
     * the same order, so the sums are the same to the bit.
     */
    public static float[] matmul(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float x = a[i * k + p];
                for (int j = 0; j < n; j++) c[i * n + j] += x * b[p * n + j];
            }
        }
        return c;
    }
}
