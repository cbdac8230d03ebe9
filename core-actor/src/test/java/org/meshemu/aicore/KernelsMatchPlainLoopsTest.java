package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
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
        Kernels.Scratch scratch = new Kernels.Scratch(); // reused across shapes, as a core does
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
        Kernels.Scratch scratch = new Kernels.Scratch();
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

    @Test
    void weightsHeldAsStoredGiveTheBitsOfTheirFp32Values() {
        Kernels.Scratch scratch = new Kernels.Scratch();
        // row counts past the widened block (16,384 values), views at an offset, one and several columns
        for (int[] s : new int[][] {{1, 1, 1}, {11, 7, 3}, {3, 3072, 1}, {125, 2560, 1}, {9, 3072, 16}, {300, 100, 1}, {300, 100, 5}}) {
            int m = s[0], k = s[1], n = s[2];
            for (DType dtype : new DType[] {DType.BF16, DType.FP16, DType.FP32}) {
                float[] all = representable(dtype, (m + 5) * (k + 7));
                Stored whole = Stored.compact(dtype, m + 5, k + 7, all);
                Stored block = whole.block(2, m, 3, k);
                Tile held = Tile.of(DType.FP32, block, m, k), fp32 = Tile.fp32(m, k, block.widen());
                Tile b = Tile.fp32(k, n, orderSensitive(k * n)), c = Tile.fp32(m, n, orderSensitive(m * n));
                String at = dtype.key() + " " + m + "x" + k + " . " + k + "x" + n;
                assertArrayEquals(Kernels.gemm(fp32, b, null, false).data(), Kernels.gemm(held, b, null, false, scratch).data(), at);
                assertArrayEquals(Kernels.gemm(fp32, b, c, true).data(), Kernels.gemm(held, b, c, true, scratch).data(), at + " accumulating");
                assertArrayEquals(PlainKernels.gemm(fp32, b, null, false).data(), Kernels.gemm(held, b, null, false).data(), at + " plain");
            }
        }
    }

    @Test
    void packedTernaryWeightsGiveTheLutGemmOfTheirValues() {
        Kernels.Scratch scratch = new Kernels.Scratch();
        for (int[] s : new int[][] {{4, 13, 1}, {8, 40, 5}, {64, 64, 9}}) {
            int out = s[0] * 2, k = s[1];
            float[] values = ternary(out * k);
            byte[] codes = new byte[values.length];
            for (int i = 0; i < codes.length; i++) codes[i] = (byte) values[i];
            Stored packed = Stored.ternary(java.nio.ByteBuffer.wrap(packCodes(codes, out, k)), out, k);
            // a block of rows crossing a bit plane's end (rows out/4 - 1 ..), as a core's block of a projection
            int r0 = out / 4 - 1, m = s[0];
            Stored block = packed.block(r0, m, 0, k);
            float[] expectValues = java.util.Arrays.copyOfRange(values, r0 * k, (r0 + m) * k);
            assertArrayEquals(expectValues, block.widen());
            Tile x = new Tile(k, s[2], DType.INT8, int8(k * s[2]));
            for (int g = 1; g <= 8; g++) {
                Tile expected = PlainKernels.lutGemm(new Tile(m, k, DType.TERNARY, expectValues), x, g);
                assertEquals(expected, Kernels.lutGemm(Tile.of(DType.TERNARY, block, m, k), x, g, scratch), "g " + g);
                assertEquals(expected, Kernels.lutGemm(Tile.of(DType.TERNARY, Stored.stack(java.util.List.of(block)), m, k), x, g, scratch), "compact copy, g " + g);
            }
        }
    }

    /** BitNet's packing: value + 1 in bits 2j of byte row r for row j out/4 + r. */
    private static byte[] packCodes(byte[] ternary, int out, int in) {
        int plane = out / 4;
        byte[] packed = new byte[plane * in];
        for (int row = 0; row < out; row++) {
            for (int c = 0; c < in; c++) packed[(row % plane) * in + c] |= (byte) ((ternary[row * in + c] + 1) << 2 * (row / plane));
        }
        return packed;
    }

    /** {@link #orderSensitive} values rounded to what {@code dtype} holds (bf16 by truncation, fp16 by conversion). */
    private float[] representable(DType dtype, int size) {
        float[] v = orderSensitive(size);
        for (int i = 0; i < size; i++) {
            v[i] = switch (dtype) {
                case BF16 -> Float.intBitsToFloat(Float.floatToRawIntBits(v[i]) & 0xFFFF0000);
                case FP16 -> Float.float16ToFloat(Float.floatToFloat16(v[i]));
                default -> v[i];
            };
        }
        return v;
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
