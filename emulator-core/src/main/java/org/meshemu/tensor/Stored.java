package org.meshemu.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A matrix's values as a checkpoint stores them, read in place: fp32, bf16 or fp16 little-endian, or ternary
 * weights packed four to a byte, in a buffer that is a memory-mapped file (no heap) or a compact heap array.
 * A weight tile holds one of these instead of fp32 values, so a bank holds 2 bytes per bf16 weight and
 * 2 bits per ternary one; the core widens a row at a time where its instruction consumes it. Widening is
 * exact (bf16 and fp16 values are fp32 values; ternary codes are -1, 0, 1), so results do not depend on
 * the form a weight is held in.
 *
 * <p>Element (r, c) of a floating matrix is at byte {@code offset + (r rowStride + c) width}. A ternary matrix
 * keeps BitNet's packing (docs/MODELS.md section 3): its global row g = firstRow + r is byte row
 * {@code g mod planeRows} at {@code offset + (g mod planeRows) rowStride + c}, bits {@code 2 (g / planeRows)},
 * holding the value plus one. Views ({@link #block}, {@link #column}) share the buffer. Reads are absolute,
 * so one instance may be read by several threads. Immutable.
 */
public final class Stored {
    private final DType dtype;
    private final ByteBuffer buf;
    private final long offset;
    private final long rowStride;
    private final int planeRows;
    private final int firstRow;
    private final int rows;
    private final int cols;
    /** The buffer as values, made at the first bulk read (a benign race: every thread makes the same view). */
    private java.nio.Buffer values;

    private Stored(DType dtype, ByteBuffer buf, long offset, long rowStride, int planeRows, int firstRow, int rows, int cols) {
        if (dtype != DType.FP32 && dtype != DType.BF16 && dtype != DType.FP16 && dtype != DType.TERNARY) {
            throw new IllegalArgumentException("no stored form for " + dtype);
        }
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("stored shape must be >= 1x1, got " + rows + "x" + cols);
        this.dtype = dtype;
        this.buf = buf;
        this.offset = offset;
        this.rowStride = rowStride;
        this.planeRows = planeRows;
        this.firstRow = firstRow;
        this.rows = rows;
        this.cols = cols;
    }

    /** A row-major [rows, cols] floating matrix (FP32, BF16, FP16) starting at byte 0 of {@code buf}. */
    public static Stored floating(DType dtype, ByteBuffer buf, int rows, int cols) {
        if (!dtype.isFloating()) throw new IllegalArgumentException(dtype + " is not floating");
        requireCapacity(buf, (long) rows * cols * (dtype.bits() / 8), dtype, rows, cols);
        return new Stored(dtype, buf.order(ByteOrder.LITTLE_ENDIAN), 0, cols, 0, 0, rows, cols);
    }

    /** A ternary [out, in] matrix packed as BitNet's U8 [out/4, in] (blocks of rows) starting at byte 0 of {@code buf}. */
    public static Stored ternary(ByteBuffer buf, int out, int in) {
        if (out % 4 != 0) throw new IllegalArgumentException("packed ternary needs rows divisible by 4, got " + out);
        requireCapacity(buf, (long) out / 4 * in, DType.TERNARY, out, in);
        return new Stored(DType.TERNARY, buf.order(ByteOrder.LITTLE_ENDIAN), 0, in, out / 4, 0, out, in);
    }

    private static void requireCapacity(ByteBuffer buf, long bytes, DType dtype, int rows, int cols) {
        if (buf.capacity() < bytes) {
            throw new IllegalArgumentException(dtype.key() + " [" + rows + ", " + cols + "] needs " + bytes + " bytes, buffer has " + buf.capacity());
        }
    }

    /**
     * {@code values} [rows, cols] compacted on the heap in {@code dtype}; each value must be exact in it
     * (a bf16 checkpoint's values widened, ternary -1/0/1), so nothing is rounded here.
     */
    public static Stored compact(DType dtype, int rows, int cols, float[] values) {
        if (values.length != rows * cols) throw new IllegalArgumentException(rows + "x" + cols + " from " + values.length + " values");
        Writer w = new Writer(dtype, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) w.put(r, c, values[r * cols + c]);
        }
        return w.done();
    }

    public DType dtype() { return dtype; }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Whether the values sit in a file mapping (or other memory outside the heap). */
    public boolean offHeap() { return buf.isDirect(); }

    /** The heap bytes this matrix's values take: 0 for a mapped file, else its compact size. */
    public long heapBytes() {
        return offHeap() ? 0 : compactSize();
    }

    private int width() { return dtype.bits() / 8; }

    private int at(int r, int c) {
        return Math.toIntExact(offset + ((long) r * rowStride + c) * width());
    }

    /** The value at (r, c), widened exactly to fp32. */
    public float get(int r, int c) {
        return switch (dtype) {
            case FP32 -> buf.getFloat(at(r, c));
            case BF16 -> bf16(buf.getShort(at(r, c)));
            case FP16 -> Float.float16ToFloat(buf.getShort(at(r, c)));
            default -> code(r, c) - 1;
        };
    }

    /** A ternary matrix's 2-bit code at (r, c): the value plus one (3 is no ternary value). */
    public int code(int r, int c) {
        int g = firstRow + r;
        return (buf.get(Math.toIntExact(offset + (long) (g % planeRows) * rowStride + c)) >> 2 * (g / planeRows)) & 3;
    }

    /** Row r widened into dst[at, at + cols): the core's conversion where an instruction consumes the row. */
    public void widenRow(int r, float[] dst, int at) {
        widenRow(r, dst, at, dtype.bits() == 16 ? new short[cols] : null);
    }

    /** A ternary row's codes (value plus one) into dst[0, cols). */
    public void codesRow(int r, byte[] dst) {
        if (dtype != DType.TERNARY) throw new IllegalStateException(dtype + " has no ternary codes");
        int g = firstRow + r, shift = 2 * (g / planeRows);
        int p = Math.toIntExact(offset + (long) (g % planeRows) * rowStride);
        for (int c = 0; c < cols; c++) dst[c] = (byte) ((buf.get(p + c) >> shift) & 3);
    }

    /**
     * {@link #widenRow(int, float[], int)} reading the row in one bulk copy (fp32 straight into dst, bf16 and fp16
     * through {@code halves}, at least cols long): what a core's gemm does with its scratch, several times faster
     * than reading value by value.
     */
    public void widenRow(int r, float[] dst, int at, short[] halves) {
        switch (dtype) {
            case FP32 -> floatValues().get(element(r), dst, at, cols);
            case BF16 -> {
                halfValues().get(element(r), halves, 0, cols);
                for (int c = 0; c < cols; c++) dst[at + c] = bf16(halves[c]);
            }
            case FP16 -> {
                halfValues().get(element(r), halves, 0, cols);
                for (int c = 0; c < cols; c++) dst[at + c] = Float.float16ToFloat(halves[c]);
            }
            default -> {
                int g = firstRow + r, shift = 2 * (g / planeRows);
                int p = Math.toIntExact(offset + (long) (g % planeRows) * rowStride);
                for (int c = 0; c < cols; c++) dst[at + c] = ((buf.get(p + c) >> shift) & 3) - 1;
            }
        }
    }

    /** bfloat16 bits widened to fp32 (exact: bf16 is fp32's upper half). */
    public static float bf16(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    private java.nio.FloatBuffer floatValues() {
        if (values == null) values = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).asFloatBuffer();
        return (java.nio.FloatBuffer) values;
    }

    private java.nio.ShortBuffer halfValues() {
        if (values == null) values = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).asShortBuffer();
        return (java.nio.ShortBuffer) values;
    }

    /** The index of (r, 0) in elements of the buffer (a floating matrix's offsets are whole elements). */
    private int element(int r) {
        return Math.toIntExact((offset + (long) r * rowStride * width()) / width());
    }

    /** Every value widened, row-major: a copy on the heap (for operators that need fp32 operands). */
    public float[] widen() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) widenRow(r, out, r * cols);
        return out;
    }

    /** The [n, m] block at (r0, c0), sharing the buffer. */
    public Stored block(int r0, int n, int c0, int m) {
        if (r0 < 0 || c0 < 0 || n < 1 || m < 1 || r0 + n > rows || c0 + m > cols) {
            throw new IllegalArgumentException("block [" + r0 + "+" + n + ", " + c0 + "+" + m + "] outside " + rows + "x" + cols);
        }
        if (dtype == DType.TERNARY) return new Stored(dtype, buf, offset + c0, rowStride, planeRows, firstRow + r0, n, m);
        return new Stored(dtype, buf, offset + ((long) r0 * rowStride + c0) * width(), rowStride, 0, 0, n, m);
    }

    /** Row r's columns [c0, c0 + n) as an [n, 1] column, sharing the buffer (an embedding row's piece). */
    public Stored column(int r, int c0, int n) {
        if (dtype == DType.TERNARY) throw new IllegalStateException("a ternary matrix has no column views");
        if (r < 0 || r >= rows || c0 < 0 || n < 1 || c0 + n > cols) throw new IllegalArgumentException("row " + r + " [" + c0 + "+" + n + "] outside " + rows + "x" + cols);
        return new Stored(dtype, buf, offset + ((long) r * rowStride + c0) * width(), 1, 0, 0, n, 1);
    }

    /** The matrices (all of one type and width) one below another, copied compact onto the heap. */
    public static Stored stack(List<Stored> parts) {
        Stored first = parts.getFirst();
        int total = 0;
        for (Stored p : parts) {
            if (p.dtype != first.dtype || p.cols != first.cols) throw new IllegalArgumentException("cannot stack " + p + " under " + first);
            total += p.rows;
        }
        Writer w = new Writer(first.dtype, total, first.cols);
        int row = 0;
        for (Stored p : parts) {
            for (int r = 0; r < p.rows; r++, row++) {
                for (int c = 0; c < p.cols; c++) w.put(row, c, p.get(r, c));
            }
        }
        return w.done();
    }

    /** Bytes of the canonical compact form: row-major, ternary in ceil(rows/4) byte rows. */
    public int compactSize() {
        return dtype == DType.TERNARY ? Math.ceilDiv(rows, 4) * cols : Math.multiplyExact(rows * cols, width());
    }

    /** The canonical compact form (what travels on the wire and into checkpoints). */
    public byte[] compactBytes() {
        if (!offHeap() && offset == 0 && firstRow == 0 && buf.hasArray() && buf.arrayOffset() == 0
                && buf.array().length == compactSize() && isCanonicalLayout()) {
            return buf.array().clone();
        }
        Writer w = new Writer(dtype, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) w.put(r, c, get(r, c));
        }
        return w.bytes;
    }

    private boolean isCanonicalLayout() {
        return rowStride == cols && (dtype != DType.TERNARY || planeRows == Math.ceilDiv(rows, 4));
    }

    /** The inverse of {@link #compactBytes}. */
    public static Stored fromCompact(DType dtype, int rows, int cols, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (dtype == DType.TERNARY) {
            requireCapacity(b, (long) Math.ceilDiv(rows, 4) * cols, dtype, rows, cols);
            return new Stored(dtype, b, 0, cols, Math.ceilDiv(rows, 4), 0, rows, cols);
        }
        return floating(dtype, b, rows, cols);
    }

    /** Fills a canonical compact heap array value by value, refusing a value the type cannot hold exactly. */
    private static final class Writer {
        final DType dtype;
        final int rows, cols, planeRows;
        final byte[] bytes;
        final ByteBuffer buf;

        Writer(DType dtype, int rows, int cols) {
            this.dtype = dtype;
            this.rows = rows;
            this.cols = cols;
            this.planeRows = Math.ceilDiv(rows, 4);
            this.bytes = new byte[dtype == DType.TERNARY ? planeRows * cols : Math.multiplyExact(rows * cols, dtype.bits() / 8)];
            this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        void put(int r, int c, float v) {
            int i = r * cols + c;
            switch (dtype) {
                case FP32 -> buf.putFloat(4 * i, v);
                case BF16 -> {
                    int bits = Float.floatToRawIntBits(v);
                    if ((bits & 0xFFFF) != 0) throw new IllegalArgumentException(v + " at (" + r + ", " + c + ") is not a bf16 value");
                    buf.putShort(2 * i, (short) (bits >>> 16));
                }
                case FP16 -> {
                    short h = Float.floatToFloat16(v);
                    if (Float.float16ToFloat(h) != v && !Float.isNaN(v)) throw new IllegalArgumentException(v + " at (" + r + ", " + c + ") is not an fp16 value");
                    buf.putShort(2 * i, h);
                }
                default -> {
                    if (v != -1 && v != 0 && v != 1) throw new IllegalArgumentException(v + " at (" + r + ", " + c + ") is not ternary");
                    bytes[(r % planeRows) * cols + c] |= (byte) (((int) v + 1) << 2 * (r / planeRows));
                }
            }
        }

        Stored done() {
            return fromCompact(dtype, rows, cols, bytes);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stored s && s.dtype == dtype && s.rows == rows && s.cols == cols
                && java.util.Arrays.equals(s.compactBytes(), compactBytes());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(compactBytes()) * 31 + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "Stored[" + rows + "x" + cols + " " + dtype.key() + (offHeap() ? " mapped" : " heap") + "]";
    }
}
