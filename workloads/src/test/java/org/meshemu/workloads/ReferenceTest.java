package org.meshemu.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reference GEMM adds each element's products in ascending k, to the bit, whatever its loop order. */
class ReferenceTest {

    @Test
    void everyElementIsItsProductsSummedInAscendingK() {
        SplittableRandom random = new SplittableRandom(5);
        int m = 7, k = 33, n = 11;
        float[] a = new float[m * k], b = new float[k * n];
        // magnitudes over many binades, so that another summation order rounds differently
        for (int i = 0; i < a.length; i++) a[i] = (float) ((random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(-20, 20)));
        for (int i = 0; i < b.length; i++) b[i] = (float) ((random.nextDouble() - 0.5) * Math.pow(2, random.nextInt(-20, 20)));
        a[3] = -0.0f;
        float[] c = Reference.matmul(a, b, m, k, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
                assertEquals(Float.floatToRawIntBits(sum), Float.floatToRawIntBits(c[i * n + j]), "C[" + i + "][" + j + "]");
            }
        }
    }
}
