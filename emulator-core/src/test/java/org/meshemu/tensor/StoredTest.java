package org.meshemu.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored matrices read the values their checkpoint bytes hold, through views, copies, the compact form and a file mapping. */
class StoredTest {
    @TempDir Path dir;

    private static float[] bf16Values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat(Float.floatToRawIntBits((float) Math.sin(i) * (1 << (i % 9))) & 0xFFFF0000);
        return v;
    }

    @Test
    void bf16ViewsColumnsAndStacksReadTheirValues() {
        int rows = 6, cols = 5;
        float[] v = bf16Values(rows * cols);
        Stored m = Stored.compact(DType.BF16, rows, cols, v);
        assertArrayEquals(v, m.widen());
        assertEquals(2L * rows * cols, m.heapBytes(), "2 bytes a bf16 value");
        Stored b = m.block(1, 3, 2, 2);
        assertArrayEquals(new float[] {v[7], v[8], v[12], v[13], v[17], v[18]}, b.widen());
        assertArrayEquals(new float[] {v[21], v[22], v[23]}, m.column(4, 1, 3).widen());
        assertArrayEquals(new float[] {v[7], v[8], v[12], v[13], v[17], v[18], v[7], v[8], v[12], v[13], v[17], v[18]}, Stored.stack(List.of(b, b)).widen());
        Stored back = Stored.fromCompact(DType.BF16, 3, 2, b.compactBytes());
        assertEquals(b, back);
        assertThrows(IllegalArgumentException.class, () -> Stored.compact(DType.BF16, 1, 1, new float[] {0.1f}), "0.1 is no bf16 value");
    }

    @Test
    void packedTernaryKeepsBitNetsBlocksOfRowsAtTwoBitsAValue() {
        int out = 8, in = 3;
        float[] t = new float[out * in];
        for (int i = 0; i < t.length; i++) t[i] = i % 3 - 1;
        Stored m = Stored.compact(DType.TERNARY, out, in, t);
        assertEquals(out / 4 * in, m.heapBytes(), "four values a byte");
        assertArrayEquals(t, m.widen());
        // row 2 + 4 k of an 8-row matrix is byte row 0/1 of plane k: a block across planes reads the right rows
        assertArrayEquals(java.util.Arrays.copyOfRange(t, in, 6 * in), m.block(1, 5, 0, in).widen());
        byte[] bytes = m.compactBytes();
        assertEquals(m, Stored.fromCompact(DType.TERNARY, out, in, bytes));
        assertEquals(m.block(1, 5, 0, in), Stored.fromCompact(DType.TERNARY, 5, in, m.block(1, 5, 0, in).compactBytes()));
    }

    @Test
    void aMappedFileIsReadInPlaceWithoutHeap() throws Exception {
        int rows = 4, cols = 3;
        float[] v = bf16Values(rows * cols);
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putShort((short) (Float.floatToRawIntBits(x) >>> 16));
        Path f = Files.write(dir.resolve("w.bin"), b.array());
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            Stored m = Stored.floating(DType.BF16, ch.map(FileChannel.MapMode.READ_ONLY, 0, 2L * v.length), rows, cols);
            assertTrue(m.offHeap());
            assertEquals(0, m.heapBytes());
            assertArrayEquals(v, m.widen());
            Tile t = Tile.of(DType.FP32, m.block(1, 2, 0, cols), 2, cols);
            assertEquals(0, t.heapBytes());
            assertEquals(Tile.fp32(2, cols, java.util.Arrays.copyOfRange(v, cols, 3 * cols)), t, "equal values whatever holds them");
            assertFalse(Stored.fromCompact(DType.BF16, rows, cols, m.compactBytes()).offHeap());
        }
    }
}
