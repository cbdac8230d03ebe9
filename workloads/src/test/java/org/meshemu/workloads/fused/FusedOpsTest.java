package org.meshemu.workloads.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.aicore.CoreTiming;
import org.meshemu.aicore.Instruction;
import org.meshemu.aicore.Kernels;
import org.meshemu.aicore.Shape;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The fused operators run on the core through its {@link org.meshemu.aicore.VectorOp.Fused} extension point:
 * the vector unit gives their numerics ({@link RetentionMath}'s), the timing charges their declared cost, and
 * timing mode draws their decisions.
 */
class FusedOpsTest {
    /** The issue overhead of {@link #timing}. */
    private static final int O = 3;
    final SplittableRandom random = new SplittableRandom(5);

    Tile random(int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-2, 2);
        return Tile.fp32(rows, cols, v);
    }

    /** 1 ns cycles, 256 fp32 flops and 16 vector lanes per cycle, SRAM so wide it never binds. */
    static CoreTiming timing() {
        return new CoreTiming(1000, Map.of(DType.FP32, 256, DType.BF16, 1024, DType.INT8, 2048), 16, O, 1 << 20, 4, 512);
    }

    @Test
    void promptRetentionLaysEachHeadOutAsRetentionMathDoes() {
        int heads = 2, dk = 4, dv = 3, t = 5;
        float[] lg = {(float) Math.log(1 - 1 / 32.0), (float) Math.log(1 - 1 / 64.0)};
        Tile q = random(heads * dk, t), k = random(heads * dk, t), v = random(heads * dv, t);
        for (int chunk : new int[] {0, 2}) {
            Tile o = Kernels.vector(new RetentionPrompt(heads, dk, dv, lg, chunk), List.of(q, k, v));
            assertEquals(heads * dv, o.rows());
            assertEquals(t, o.cols());
            for (int h = 0; h < heads; h++) {
                float[][] qh = rows(q, h, dk), kh = rows(k, h, dk), vh = rows(v, h, dv);
                float[][] expected = chunk == 0 ? RetentionMath.parallel(qh, kh, vh, lg[h]) : RetentionMath.chunkwise(qh, kh, vh, lg[h], chunk);
                for (int n = 0; n < t; n++) {
                    for (int i = 0; i < dv; i++) assertEquals(expected[n][i], o.data()[(h * dv + i) * t + n], "chunk " + chunk + " head " + h);
                }
            }
        }
        Tile s = Kernels.vector(new RetentionState(heads, dk, dv, lg), List.of(k, v));
        assertEquals(heads * dv, s.rows());
        assertEquals(dk, s.cols());
        float[] s1 = RetentionMath.stateAfter(rows(k, 1, dk), rows(v, 1, dv), lg[1]);
        for (int i = 0; i < s1.length; i++) assertEquals(s1[i], s.data()[dv * dk + i]);
        // inputs that do not fit are refused when the program is checked, not read out of bounds
        assertThrows(IllegalArgumentException.class, () -> Kernels.vector(new RetentionPrompt(heads, dk, dv, lg, 0), List.of(q, k, random(heads * dv, t + 1))));
        assertThrows(IllegalArgumentException.class, () -> Kernels.vector(new RetentionState(heads, dk, dv + 1, lg), List.of(k, v)));
    }

    /** Head h of a block [heads * d, t] as [t][d], written out longhand. */
    static float[][] rows(Tile block, int h, int d) {
        float[][] r = new float[block.cols()][d];
        for (int n = 0; n < block.cols(); n++) {
            for (int i = 0; i < d; i++) r[n][i] = block.data()[(h * d + i) * block.cols() + n];
        }
        return r;
    }

    @Test
    void promptRetentionPaysItsProductsOnTheMatrixUnit() {
        int heads = 2, dk = 8, dv = 8, t = 16;
        Shape q = new Shape(heads * dk, t, DType.FP32), v = new Shape(heads * dv, t, DType.FP32);
        RetentionPrompt parallel = new RetentionPrompt(heads, dk, dv, new float[heads], 0);
        long flops = 2L * heads * t * t * (dk + dv);               // 16384 flops at 256 per cycle: 64 cycles
        long lanes = 3L * heads * t * t / 16;                      // mask, |.| sum, divide: 96 cycles
        assertEquals(flops, parallel.matrixFlops(List.of(q, q, v)));
        assertEquals(O + 64 + lanes, timing().cycles(new Instruction.Vector(parallel, 3, 0, 1, 2), List.of(q, q, v), v));
    }

    /** Timing mode's routing trace: two distinct experts every time, even with only two to choose from. */
    @Test
    void drawnSparsemixerPicksTwoDistinctExperts() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            int n = 2 + i % 15;
            Tile route = Kernels.draw(new Sparsemixer(0.01f), List.of(Tile.shape(n, 1, DType.FP32)), random);
            float e1 = route.data()[0], e2 = route.data()[2];
            assertFalse(e1 == e2, "experts " + e1 + ", " + e2);
            assertTrue(e1 >= 0 && e1 < n && e2 >= 0 && e2 < n);
        }
    }
}
