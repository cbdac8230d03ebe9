package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * The fast kernels give the plain loops' bits: every shape around the register tiles' edges (rows and
 * columns not multiples of the tile), with and without an accumulator, on values whose sums depend on
 * the order (magnitudes far apart, cancellations, -0, infinities and NaN).
 */
class KernelsMatchPlainLoopsTest {
    private final SplittableRandom random = new SplittableRandom(20261130);

    @Test
    void fp32GemmAndGemvGiveThePlainLoopsBits() {
        for (int m = 1; m <= 11; m++) {
            for (int n = 1; n <= 9; n++) {
                for (int k : new int[] {1, 2, 7, 33}) {
                    Tile a = Tile.fp32(m, k, orderSensitive(m * k)), b = Tile.fp32(k, n, orderSensitive(k * n));
                    Tile c = Tile.fp32(m, n, orderSensitive(m * n));
                    String at = m + "x" + k + " . " + k + "x" + n;
                    assertArrayEquals(PlainKernels.gemm(a, b, null, false).data(), Kernels.gemm(a, b, null, false).data(), at);
                    assertArrayEquals(PlainKernels.gemm(a, b, c, true).data(), Kernels.gemm(a, b, c, true).data(), at + " accumulating");
                }
            }
        }
    }

    @Test
    void fullSizeShapesGiveThePlainLoopsBits() {
        for (int[] s : new int[][] {{3, 3072, 1}, {125, 2560, 1}, {9, 3072, 16}, {8, 3072, 5}}) {
            Tile a = Tile.fp32(s[0], s[1], orderSensitive(s[0] * s[1])), b = Tile.fp32(s[1], s[2], orderSensitive(s[1] * s[2]));
            assertArrayEquals(PlainKernels.gemm(a, b, null, false).data(), Kernels.gemm(a, b, null, false).data(), s[0] + "x" + s[1] + "x" + s[2]);
        }
    }

    @Test
    void int8GemmGivesThePlainLoopsIntegers() {
        for (int[] s : new int[][] {{1, 1, 1}, {5, 11, 3}, {9, 40, 16}}) {
            Tile a = new Tile(s[0], s[1], DType.INT8, int8(s[0] * s[1])), b = new Tile(s[1], s[2], DType.INT8, int8(s[1] * s[2]));
            Tile c = new Tile(s[0], s[2], DType.INT32, int8(s[0] * s[2]));
            assertEquals(PlainKernels.gemm(a, b, c, true), Kernels.gemm(a, b, c, true));
            assertEquals(PlainKernels.gemm(a, b, null, false), Kernels.gemm(a, b, null, false));
        }
    }

    @Test
    void lutGemmGivesThePlainLoopsIntegersForEveryGroupSizeAndBlock() {
        Kernels.LutScratch scratch = new Kernels.LutScratch(); // reused across shapes, as a core does
        for (int g = 1; g <= 8; g++) {
            for (int[] s : new int[][] {{1, 1, 1}, {3, 13, 1}, {7, 40, 5}, {5, 64, 9}, {2, 9, 16}}) {
                Tile w = new Tile(s[0], s[1], DType.TERNARY, ternary(s[0] * s[1])), x = new Tile(s[1], s[2], DType.INT8, int8(s[1] * s[2]));
                Tile expected = PlainKernels.lutGemm(w, x, g);
                assertEquals(expected, Kernels.lutGemm(w, x, g, scratch), "g " + g + ", " + s[0] + "x" + s[1] + "x" + s[2]);
                assertEquals(expected, Kernels.lutGemm(w, x, g));
            }
        }
    }

    @Test
    void lutGemmRejectsTheSameWeightAsThePlainLoops() {
        float[] w = ternary(3 * 10);
        w[17] = 2;
        Tile weights = new Tile(3, 10, DType.TERNARY, w), x = new Tile(10, 2, DType.INT8, int8(20));
        String plain = assertThrows(IllegalArgumentException.class, () -> PlainKernels.lutGemm(weights, x, 4)).getMessage();
        assertEquals(plain, assertThrows(IllegalArgumentException.class, () -> Kernels.lutGemm(weights, x, 4)).getMessage());
    }

    @Test
    void aCoresScratchMakesTheLutGemmAllocateOnlyItsResult() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int m = 3, k = 4096, n = 4;
        Tile w = new Tile(m, k, DType.TERNARY, ternary(m * k)), x = new Tile(k, n, DType.INT8, int8(k * n));
        Kernels.LutScratch scratch = new Kernels.LutScratch();
        Kernels.lutGemm(w, x, 4, scratch); // grows the scratch to this shape
        long before = threads.getCurrentThreadAllocatedBytes();
        Kernels.lutGemm(w, x, 4, scratch);
        long reused = threads.getCurrentThreadAllocatedBytes() - before;
        before = threads.getCurrentThreadAllocatedBytes();
        Kernels.lutGemm(w, x, 4);
        long fresh = threads.getCurrentThreadAllocatedBytes() - before;
        // the result tile's m * n floats and a few headers; a fresh scratch's tables (4 columns x 1,024 groups x 8 entries of 2 bytes) are 64 KiB
        assertTrue(reused < 4L * m * n + 1024, "allocated " + reused + " bytes with a warm scratch");
        assertTrue(fresh > 2L * n * (k / 4) * 8, "allocated " + fresh + " bytes with a fresh scratch");
    }

    /** Values whose fp32 sums change with the order: magnitudes 2^-20 to 2^20 of both signs, with a few -0, infinities and NaN. */
    private float[] orderSensitive(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            int special = random.nextInt(200);
            v[i] = switch (special) {
                case 0 -> -0f;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> Float.NaN;
                default -> (float) ((random.nextDouble() * 2 - 1) * Math.scalb(1.0, random.nextInt(-20, 21)));
            };
        }
        return v;
    }

    private float[] int8(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = random.nextInt(256) - 128;
        return v;
    }

    private float[] ternary(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = random.nextInt(3) - 1;
        return v;
    }
}
