package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

/**
 * A block of T tokens is a tile [n x T]: every per-token operator on the block gives, column by column, the
 * bits it gives on that column alone (at that column's position), so a prompt run as one block computes
 * exactly what T single-token steps compute.
 */
class TokenBlockTest {
    static final int N = 8, T = 3;
    final SplittableRandom random = new SplittableRandom(5);

    Tile random(int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-2, 2);
        return Tile.fp32(rows, cols, v);
    }

    static Tile column(Tile block, int t) {
        return Kernels.vector(new VectorOp.Column(t), List.of(block));
    }

    /** Applies {@code op} to the block and, for each column t, {@code perColumn(t)} to column t alone; the bits must agree. */
    void assertColumnByColumn(Tile block, List<Tile> rest, VectorOp op, java.util.function.IntFunction<VectorOp> perColumn) {
        List<Tile> in = new ArrayList<>(List.of(block));
        in.addAll(rest);
        Tile whole = Kernels.vector(op, in);
        for (int t = 0; t < block.cols(); t++) {
            List<Tile> one = new ArrayList<>(List.of(column(block, t)));
            one.addAll(rest);
            assertArrayEquals(Kernels.vector(perColumn.apply(t), one).data(), column(whole, t).data(), op + " column " + t);
        }
    }

    @Test
    void stackAndColumnAreInverse() {
        Tile a = random(N, 1), b = random(N, 1), c = random(N, 1);
        Tile block = Kernels.vector(new VectorOp.Stack(), List.of(a, b, c));
        assertEquals(N, block.rows());
        assertEquals(T, block.cols());
        assertArrayEquals(b.data(), column(block, 1).data());
        assertEquals(a.data()[2], block.data()[2 * T]);
        assertThrows(IllegalArgumentException.class, () -> Kernels.vector(new VectorOp.Stack(), List.of(a, random(N + 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> Kernels.vector(new VectorOp.Column(T), List.of(block)));
    }

    @Test
    void normsRotationsAndQuantisationWorkColumnByColumn() {
        Tile x = random(N, T), w = random(N, 1), bias = random(N, 1);
        VectorOp rms = new VectorOp.RmsNorm(1e-6f, 2, true);
        assertColumnByColumn(x, List.of(w), rms, t -> rms);
        VectorOp ln = new VectorOp.LayerNorm(1e-5f);
        assertColumnByColumn(x, List.of(w, bias), ln, t -> ln);
        float[] angle = {0.5f, 0.5f, 0.25f, 0.25f};
        assertColumnByColumn(x, List.of(), new VectorOp.RotateInterleaved(4, angle, 4), t -> new VectorOp.RotateInterleaved(4 + t, angle, 4));
        float[] inv = {0.5f, 0.125f};
        assertColumnByColumn(x, List.of(), new VectorOp.RotateHalf(7, inv, 1.5f, 4), t -> new VectorOp.RotateHalf(7 + t, inv, 1.5f, 4));
        VectorOp absMax = new VectorOp.AbsMaxScale();
        assertColumnByColumn(x, List.of(), absMax, t -> absMax);

        Tile scales = Kernels.vector(absMax, List.of(x));
        assertEquals(1, scales.rows());
        assertEquals(T, scales.cols());
        Tile q = Kernels.vector(new VectorOp.Quantise(), List.of(x, scales));
        for (int t = 0; t < T; t++) {
            Tile s = Tile.fp32(1, 1, new float[] {scales.data()[t]});
            assertArrayEquals(Kernels.vector(new VectorOp.Quantise(), List.of(column(x, t), s)).data(), column(q, t).data());
        }
    }

    @Test
    void attentionOfABlockMasksEachQueryToItsOwnPrefixOfTheCache() {
        int heads = 2, kvHeads = 1, hd = 4, cached = 5;   // 2 older positions, then the block's 3
        Tile q = random(heads * hd, T);
        List<Tile> keys = new ArrayList<>(), values = new ArrayList<>();
        for (int p = 0; p < cached; p++) {
            keys.add(random(kvHeads * hd, 1));
            values.add(random(kvHeads * hd, 1));
        }
        for (int window : new int[] {0, 3}) {
            VectorOp.Attention op = new VectorOp.Attention(heads, kvHeads, hd, window);
            List<Tile> in = new ArrayList<>(List.of(q));
            in.addAll(keys);
            in.addAll(values);
            Tile block = Kernels.vector(op, in);
            for (int t = 0; t < T; t++) {
                int seen = cached - T + t + 1;
                List<Tile> one = new ArrayList<>(List.of(column(q, t)));
                one.addAll(keys.subList(0, seen));
                one.addAll(values.subList(0, seen));
                assertArrayEquals(Kernels.vector(op, one).data(), column(block, t).data(), "window " + window + " column " + t);
            }
        }
    }

    @Test
    void lutGemmOfABlockIsTheLutGemmOfEachColumn() {
        int m = 5, k = 11;
        float[] w = new float[m * k], x = new float[k * T];
        for (int i = 0; i < w.length; i++) w[i] = random.nextInt(3) - 1;
        for (int i = 0; i < x.length; i++) x[i] = random.nextInt(256) - 128;
        Tile weights = new Tile(m, k, DType.TERNARY, w), acts = new Tile(k, T, DType.INT8, x);
        Tile block = Kernels.lutGemm(weights, acts, 4);
        assertEquals(T, block.cols());
        for (int t = 0; t < T; t++) {
            Tile col = new Tile(k, 1, DType.INT8, column(Tile.fp32(k, T, x), t).data());
            assertArrayEquals(Kernels.lutGemm(weights, col, 4).data(), column(block, t).data());
            assertArrayEquals(Kernels.gemm(new Tile(m, k, DType.INT8, w), col, null, false).data(), column(block, t).data(), "exact integers");
        }
    }

    @Test
    void aBiasColumnIsAddedToEveryColumnOfABlock() {
        Tile x = random(N, T), bias = random(N, 1);
        Tile sum = Kernels.elementwise(Instruction.Op.ADD, x, bias);
        for (int t = 0; t < T; t++) assertArrayEquals(Kernels.elementwise(Instruction.Op.ADD, column(x, t), bias).data(), column(sum, t).data());
        assertThrows(IllegalArgumentException.class, () -> Kernels.elementwise(Instruction.Op.ADD, x, random(N, 2)));
    }

    @Test
    void inputsThatDoNotFitAreRefused() {
        // refused when the program is checked, not read out of bounds
        assertThrows(IllegalArgumentException.class, () -> Kernels.vector(new VectorOp.Attention(2, 1, 4, 0), List.of(random(8, 3), random(4, 1), random(4, 1))));
    }

    @Test
    void aColumnOrSliceMovesOnlyItsPart() {
        CoreTiming timing = CoreTimingTest.timing(1 << 20);
        Shape block = new Shape(1600, T, DType.FP32);
        // 1600 elements over 16 lanes: 100 cycles, though the block has 4800
        assertEquals(CoreTimingTest.O + 100, timing.cycles(new Instruction.Vector(new VectorOp.Column(1), 1, 0), List.of(block),
                new Shape(1600, 1, DType.FP32)));
        CoreTiming narrow = CoreTimingTest.timing(64);
        // SRAM-bound: reads and writes 1600 x 4 bytes each, 12800 / 64 = 200 cycles
        assertEquals(CoreTimingTest.O + 200, narrow.cycles(new Instruction.Vector(new VectorOp.Column(1), 1, 0), List.of(block),
                new Shape(1600, 1, DType.FP32)));
    }
}
