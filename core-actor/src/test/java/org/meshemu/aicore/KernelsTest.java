package org.meshemu.aicore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;

class KernelsTest {
    final Tile a = Tile.fp32(2, 3, new float[] {1, 2, 3, 4, 5, 6});
    final Tile b = Tile.fp32(3, 2, new float[] {7, 8, 9, 10, 11, 12});

    @Test
    void gemmComputesTheProductAndAccumulates() {
        Tile c = Kernels.gemm(a, b, null, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c.data());
        assertArrayEquals(new float[] {116, 128, 278, 308}, Kernels.gemm(a, b, c, true).data());
    }

    @Test
    void gemmSumsInAFixedOrderStartingFromTheAccumulator() {
        // (1e8 + 1) - 1e8 in fp32 is 0 when summed left to right, 1 in exact arithmetic: the order is part of the contract.
        Tile row = Tile.fp32(1, 3, new float[] {1e8f, 1f, -1e8f});
        Tile ones = Tile.fp32(3, 1, new float[] {1, 1, 1});
        assertEquals(0f, Kernels.gemm(row, ones, null, false).data()[0]);
    }

    @Test
    void shapeOnlyTilesGiveShapeOnlyResults() {
        Tile c = Kernels.gemm(Tile.shape(2, 3, DType.FP32), b, null, false);
        assertFalse(c.hasData());
        assertEquals(2, c.rows());
        assertEquals(2, c.cols());
    }

    @Test
    void elementwiseAndReduce() {
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, Kernels.elementwise(Instruction.Op.ADD, a, a).data());
        assertArrayEquals(new float[] {1, 4, 9, 16, 25, 36}, Kernels.elementwise(Instruction.Op.MUL, a, a).data());
        assertArrayEquals(new float[] {5, 7, 9}, Kernels.reduce(a, Instruction.Axis.ROWS).data());
        assertArrayEquals(new float[] {6, 15}, Kernels.reduce(a, Instruction.Axis.COLS).data());
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Kernels.gemm(a, a, null, false));
        assertThrows(IllegalArgumentException.class, () -> Kernels.elementwise(Instruction.Op.ADD, a, b));
    }

    /** Timing mode's greedy token: an index in the vocabulary. */
    @Test
    void drawnArgmaxIsAnIndexInRange() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 200; i++) {
            int n = 2 + i % 15;
            Tile token = Kernels.draw(new VectorOp.ArgmaxIndex(n), java.util.List.of(Tile.shape(2, 1, DType.FP32)), random);
            assertTrue(token.data()[0] >= 0 && token.data()[0] < n);
        }
    }
}
