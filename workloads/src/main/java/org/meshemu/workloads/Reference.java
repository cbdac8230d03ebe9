package org.meshemu.workloads;

/** Plain-Java linear algebra for references: straight loops, no blocking, written independently of any mapping. */
public final class Reference {
    private Reference() {}

    /** C[m x n] = A[m x k] . B[k x n], each element summed over k in ascending order. */
    public static float[] matmul(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc += a[i * k + p] * b[p * n + j];
                c[i * n + j] = acc;
            }
        }
        return c;
    }
}
