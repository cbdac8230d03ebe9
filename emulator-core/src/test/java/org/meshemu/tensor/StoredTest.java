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

    /** A matrix in a file maps only the span the views asked for read: what one node of a cluster holds. */
    @Test
    void aFileMatrixMapsOnlyTheSpanItsViewsRead() throws Exception {
        int rows = 8, cols = 4;
        float[] v = bf16Values(rows * cols);
        ByteBuffer b = ByteBuffer.allocate(16 + 2 * v.length).order(ByteOrder.LITTLE_ENDIAN).position(16);
        for (float x : v) b.putShort((short) (Float.floatToRawIntBits(x) >>> 16));
        Path f = Files.write(dir.resolve("w.bin"), b.array());
        Stored m = Stored.inFile(DType.BF16, f, 16, rows, cols);
        assertTrue(m.offHeap());
        assertEquals(0, m.mappedBytes(), "nothing mapped before it is asked for or read");
        Stored lower = m.block(4, 4, 0, cols), cut = m.block(5, 2, 1, 2);
        assertEquals(2L * 4 * cols, Stored.map(List.of(lower, cut)), "rows 4-7 only: the span from the first byte read to the last");
        assertEquals(0, Stored.map(List.of(cut)), "a span already mapped is kept");
        assertArrayEquals(java.util.Arrays.copyOfRange(v, 4 * cols, 8 * cols), lower.widen());
        assertArrayEquals(new float[] {v[21], v[22], v[25], v[26]}, cut.widen());
        assertEquals(2L * 4 * cols, m.mappedBytes(), "reading inside the span maps nothing more");
        // a view outside every span maps its whole tensor when read
        assertArrayEquals(java.util.Arrays.copyOfRange(v, 0, cols), m.block(0, 1, 0, cols).widen());
        assertEquals(2L * 4 * cols + 2L * rows * cols, m.mappedBytes());
        assertArrayEquals(v, m.widen());

        // a stack of views is copied when first read, and maps its parts' spans when asked
        Stored other = Stored.inFile(DType.BF16, f, 16, rows, cols);
        Stored stacked = Stored.stack(List.of(other.block(6, 2, 0, cols), other.block(2, 1, 0, cols)));
        assertEquals(0, other.mappedBytes());
        assertEquals(2L * 3 * cols, Stored.map(List.of(stacked)), "rows 2 and 6-7: the parts' spans");
        assertEquals(2L * 3 * cols, stacked.heapBytes(), "held on the heap once read");
        float[] expected = new float[3 * cols];
        System.arraycopy(v, 6 * cols, expected, 0, 2 * cols);
        System.arraycopy(v, 2 * cols, expected, 2 * cols, cols);
        assertArrayEquals(expected, stacked.widen());
    }

    /** Extents join where they touch or overlap, and across the smallest gaps when there would be too many spans. */
    @Test
    void extentsJoinIntoFewSpans() {
        List<long[]> extents = List.of(new long[] {8, 12}, new long[] {0, 4}, new long[] {12, 13}, new long[] {14, 20}, new long[] {2, 3},
                new long[] {30, 31});
        assertEquals("[[0, 4], [8, 13], [14, 20], [30, 31]]", Stored.joined(extents, 64).stream().map(java.util.Arrays::toString).toList().toString());
        assertEquals("[[0, 20], [30, 31]]", Stored.joined(extents, 2).stream().map(java.util.Arrays::toString).toList().toString(),
                "the gaps of 1 and 4 bytes closed, not the one of 10");
    }

    /** A packed ternary view's span is the byte rows its rows sit in (rows g and g + out/4 share one). */
    @Test
    void aTernaryViewMapsTheByteRowsOfItsRows() throws Exception {
        int out = 8, in = 3;
        float[] t = new float[out * in];
        for (int i = 0; i < t.length; i++) t[i] = (i * 7 % 3) - 1;
        Path f = Files.write(dir.resolve("t.bin"), Stored.compact(DType.TERNARY, out, in, t).compactBytes());
        Stored m = Stored.inFile(DType.TERNARY, f, 0, out, in);
        Stored row1 = m.block(1, 1, 0, in), rows23 = m.block(2, 2, 0, in);
        assertEquals(in, Stored.map(List.of(row1)), "byte row 1 alone");
        assertArrayEquals(java.util.Arrays.copyOfRange(t, in, 2 * in), row1.widen());
        // rows 2 and 3 are byte rows 0 and 1 of plane 1: wrapping, so every byte row
        assertEquals(2L * in, Stored.map(List.of(rows23)));
        assertArrayEquals(java.util.Arrays.copyOfRange(t, 2 * in, 4 * in), rows23.widen());
        assertArrayEquals(t, m.widen());
    }
}
