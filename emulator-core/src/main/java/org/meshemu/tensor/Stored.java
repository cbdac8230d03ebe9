package org.meshemu.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A matrix's values as a checkpoint stores them, read in place: fp32, bf16 or fp16 little-endian, or ternary
 * weights packed four to a byte, in a buffer that is a memory-mapped file (no heap) or a compact heap array.
 * A weight tile holds one of these instead of fp32 values, so a bank holds 2 bytes per bf16 weight and
 * 2 bits per ternary one; the core widens a row at a time where its instruction consumes it. Widening is
 * exact (bf16 and fp16 values are fp32 values; ternary codes are -1, 0, 1), so results do not depend on
 * the form a weight is held in.
 *
 * <p>Element (r, c) of a floating matrix is at byte {@code offset + (r rowStride + c) width} of its region. A
 * ternary matrix keeps BitNet's packing (docs/MODELS.md section 3): its global row g = firstRow + r is byte row
 * {@code g mod planeRows} at {@code offset + (g mod planeRows) rowStride + c}, bits {@code 2 (g / planeRows)},
 * holding the value plus one. Views ({@link #block}, {@link #column}) share the region. Reads are absolute,
 * so one instance may be read by several threads. Immutable but for when its bytes are mapped.
 *
 * <p>A matrix in a file ({@link #inFile}) maps nothing until asked: {@link #map} maps, per tensor, the spans
 * of the file a set of views reads (what a node does for the banks it hosts, so it maps only its share), and a
 * view read outside every span maps its whole tensor then. A stack of views ({@link #stack}) is copied onto
 * the heap when first read, so only the JVM that reads it holds it.
 */
public final class Stored {
    private final DType dtype;
    private final Region region;
    private final long offset;
    private final long rowStride;
    private final int planeRows;
    private final int firstRow;
    private final int rows;
    private final int cols;
    /** The region's bytes this view reads, once a read found them (a benign race: every thread finds a span covering it). */
    private Span span;

    private Stored(DType dtype, Region region, long offset, long rowStride, int planeRows, int firstRow, int rows, int cols) {
        if (dtype != DType.FP32 && dtype != DType.BF16 && dtype != DType.FP16 && dtype != DType.TERNARY) {
            throw new IllegalArgumentException("no stored form for " + dtype);
        }
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("stored shape must be >= 1x1, got " + rows + "x" + cols);
        this.dtype = dtype;
        this.region = region;
        this.offset = offset;
        this.rowStride = rowStride;
        this.planeRows = planeRows;
        this.firstRow = firstRow;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Bytes read from {@code from} of the region (0 for a buffer given whole), with their value views. {@code bytes}
     * is little-endian and only ever read absolutely.
     */
    private record Span(ByteBuffer bytes, long from, java.nio.FloatBuffer floats, java.nio.ShortBuffer halves) {
        static Span of(ByteBuffer bytes, long from) {
            ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0);
            return new Span(bytes.order(ByteOrder.LITTLE_ENDIAN), from, b.asFloatBuffer(), b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer());
        }

        boolean covers(long lo, long hi) {
            return lo >= from && hi <= from + bytes.capacity();
        }
    }

    /**
     * What a matrix and its views read: a buffer at hand, {@code length} bytes at {@code position} of a file,
     * mapped in spans when asked ({@link Stored#map}) or whole when a read finds no span covering it, or a stack of
     * views copied onto the heap when first read.
     */
    private static final class Region {
        private final Path file;
        private final long position, length;
        private final List<Stored> parts;
        /** The spans mapped (or the one buffer), replaced whole when one is added. */
        private volatile List<Span> spans;
        private long mappedBytes;

        private Region(Path file, long position, long length, List<Stored> parts, List<Span> spans) {
            this.file = file;
            this.position = position;
            this.length = length;
            this.parts = parts;
            this.spans = spans;
        }

        static Region of(ByteBuffer bytes) {
            return new Region(null, 0, bytes.capacity(), null, List.of(Span.of(bytes, 0)));
        }

        boolean inFile() { return file != null; }

        private Span find(long lo, long hi) {
            for (Span s : spans) if (s.covers(lo, hi)) return s;
            return null;
        }

        /** A span covering [lo, hi): a mapped one, else (a file) the whole tensor mapped now, or (a stack) the copy made now. */
        Span covering(long lo, long hi) {
            Span s = find(lo, hi);
            if (s != null) return s;
            synchronized (this) {
                s = find(lo, hi);
                if (s == null) {
                    if (file != null) mapSpans(List.of(new long[] {0, length}));
                    else spans = List.of(Span.of(ByteBuffer.wrap(stackBytes(parts)), 0));
                    s = find(lo, hi);
                }
                return s;
            }
        }

        /** Maps each span [lo, hi) that no mapped span covers; returns the bytes mapped. */
        synchronized long mapSpans(List<long[]> wanted) {
            List<Span> now = new java.util.ArrayList<>(spans);
            long bytes = 0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                for (long[] w : wanted) {
                    if (find(w[0], w[1]) != null) continue;
                    now.add(Span.of(ch.map(FileChannel.MapMode.READ_ONLY, position + w[0], w[1] - w[0]), w[0]));
                    bytes += w[1] - w[0];
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot map bytes of the tensor at " + position, e);
            }
            spans = List.copyOf(now);
            mappedBytes += bytes;
            return bytes;
        }
    }

    /** A row-major [rows, cols] floating matrix (FP32, BF16, FP16) starting at byte 0 of {@code buf}. */
    public static Stored floating(DType dtype, ByteBuffer buf, int rows, int cols) {
        if (!dtype.isFloating()) throw new IllegalArgumentException(dtype + " is not floating");
        requireCapacity(buf.capacity(), bytes(dtype, rows, cols), dtype, rows, cols);
        return new Stored(dtype, Region.of(buf), 0, cols, 0, 0, rows, cols);
    }

    /** A ternary [out, in] matrix packed as BitNet's U8 [out/4, in] (blocks of rows) starting at byte 0 of {@code buf}. */
    public static Stored ternary(ByteBuffer buf, int out, int in) {
        if (out % 4 != 0) throw new IllegalArgumentException("packed ternary needs rows divisible by 4, got " + out);
        requireCapacity(buf.capacity(), bytes(DType.TERNARY, out, in), DType.TERNARY, out, in);
        return new Stored(DType.TERNARY, Region.of(buf), 0, in, out / 4, 0, out, in);
    }

    /**
     * A [rows, cols] matrix stored in {@code file} from byte {@code position} on (row-major floating, or BitNet's
     * packed ternary with rows divisible by 4), mapped only when {@link #map} asks or a read needs it. The file
     * must not change while the matrix is in use.
     */
    public static Stored inFile(DType dtype, Path file, long position, int rows, int cols) {
        if (dtype == DType.TERNARY && rows % 4 != 0) throw new IllegalArgumentException("packed ternary needs rows divisible by 4, got " + rows);
        if (dtype != DType.TERNARY && !dtype.isFloating()) throw new IllegalArgumentException(dtype + " is not floating");
        Region region = new Region(file, position, bytes(dtype, rows, cols), null, List.of());
        return new Stored(dtype, region, 0, cols, dtype == DType.TERNARY ? rows / 4 : 0, 0, rows, cols);
    }

    /** At most this many spans of one tensor are mapped at once: the smallest gaps between wanted spans are closed first. */
    static final int MAX_SPANS = 64;

    /**
     * Maps, for each file matrix the views read, the spans of its file they read: overlapping or touching extents
     * joined, and at most {@link #MAX_SPANS} per tensor (closing the smallest gaps; a view's rows of a column block
     * are one extent from its first byte to its last). A stack's parts count as its views; spans mapped before and
     * covering are kept. What a JVM calls with the weight tiles of the banks it hosts before they run, so that it
     * maps only its share of the checkpoint. Returns the bytes mapped now.
     */
    public static long map(Iterable<Stored> views) {
        java.util.Map<Region, List<long[]>> extents = new java.util.IdentityHashMap<>();
        java.util.ArrayDeque<Stored> todo = new java.util.ArrayDeque<>();
        views.forEach(todo::add);
        while (!todo.isEmpty()) {
            Stored v = todo.pop();
            if (v.region.parts != null) todo.addAll(v.region.parts);
            else if (v.region.inFile()) extents.computeIfAbsent(v.region, r -> new java.util.ArrayList<>()).add(v.extent());
        }
        long mapped = 0;
        for (var e : extents.entrySet()) mapped += e.getKey().mapSpans(joined(e.getValue(), MAX_SPANS));
        return mapped;
    }

    /** {@code extents} [lo, hi) joined where they overlap or touch, then across the smallest gaps until at most {@code max} remain. */
    static List<long[]> joined(List<long[]> extents, int max) {
        List<long[]> sorted = new java.util.ArrayList<>(extents);
        sorted.sort(java.util.Comparator.comparingLong((long[] x) -> x[0]));
        List<long[]> out = new java.util.ArrayList<>();
        for (long[] x : sorted) {
            long[] last = out.isEmpty() ? null : out.getLast();
            if (last != null && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
            else out.add(new long[] {x[0], x[1]});
        }
        if (out.size() <= max) return out;
        long[] gaps = new long[out.size() - 1];
        for (int i = 1; i < out.size(); i++) gaps[i - 1] = out.get(i)[0] - out.get(i - 1)[1];
        long[] order = gaps.clone();
        java.util.Arrays.sort(order);
        long closing = order[out.size() - max - 1];   // close every gap up to the (size - max)-th smallest
        List<long[]> fewer = new java.util.ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (i > 0 && gaps[i - 1] <= closing) fewer.getLast()[1] = out.get(i)[1];
            else fewer.add(out.get(i));
        }
        return fewer;
    }

    /** Bytes of its file this matrix's tensor has mapped so far (0 for one not in a file). */
    public long mappedBytes() {
        synchronized (region) {
            return region.mappedBytes;
        }
    }

    /** The bytes of its region this matrix reads: [lo, hi). */
    private long[] extent() {
        int w = dtype == DType.TERNARY ? 1 : width();
        if (dtype != DType.TERNARY) return new long[] {offset, offset + ((long) (rows - 1) * rowStride + cols) * w};
        int first = firstRow % planeRows, last = (firstRow + rows - 1) % planeRows;
        if (rows >= planeRows || first > last) {   // every byte row, or rows wrapping around a plane
            first = 0;
            last = planeRows - 1;
        }
        return new long[] {offset + (long) first * rowStride, offset + (long) last * rowStride + cols};
    }

    private static void requireCapacity(long capacity, long bytes, DType dtype, int rows, int cols) {
        if (capacity < bytes) {
            throw new IllegalArgumentException(dtype.key() + " [" + rows + ", " + cols + "] needs " + bytes + " bytes, buffer has " + capacity);
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
    public boolean offHeap() {
        return region.inFile() || region.parts == null && region.spans.getFirst().bytes().isDirect();
    }

    /** The heap bytes this matrix's values take: 0 for a mapped file, else its compact size. */
    public long heapBytes() {
        return offHeap() ? 0 : compactSize();
    }

    private int width() { return dtype.bits() / 8; }

    /** The span this view reads, found (mapping or copying if need be) at its first read. */
    private Span span() {
        Span s = span;
        if (s == null) {
            long[] e = extent();
            span = s = region.covering(e[0], e[1]);
        }
        return s;
    }

    private static int at(Span s, long byteInRegion) {
        return Math.toIntExact(byteInRegion - s.from());
    }

    private int at(Span s, int r, int c) {
        return at(s, offset + ((long) r * rowStride + c) * width());
    }

    /** The value at (r, c), widened exactly to fp32. */
    public float get(int r, int c) {
        if (dtype == DType.TERNARY) return code(r, c) - 1;
        Span s = span();
        return value(dtype, s.bytes(), at(s, r, c));
    }

    /** A ternary matrix's 2-bit code at (r, c): the value plus one (3 is no ternary value). */
    public int code(int r, int c) {
        Span s = span();
        int g = firstRow + r;
        return (s.bytes().get(at(s, offset + (long) (g % planeRows) * rowStride + c)) >> 2 * (g / planeRows)) & 3;
    }

    /** Row r widened into dst[at, at + cols): the core's conversion where an instruction consumes the row. */
    public void widenRow(int r, float[] dst, int at) {
        widenRow(r, dst, at, dtype.bits() == 16 ? new short[cols] : null);
    }

    /** A ternary row's codes (value plus one) into dst[0, cols). */
    public void codesRow(int r, byte[] dst) {
        if (dtype != DType.TERNARY) throw new IllegalStateException(dtype + " has no ternary codes");
        Span s = span();
        int g = firstRow + r, shift = 2 * (g / planeRows);
        int p = at(s, offset + (long) (g % planeRows) * rowStride);
        ByteBuffer b = s.bytes();
        for (int c = 0; c < cols; c++) dst[c] = (byte) ((b.get(p + c) >> shift) & 3);
    }

    /**
     * {@link #widenRow(int, float[], int)} reading the row in one bulk copy (fp32 straight into dst, bf16 and fp16
     * through {@code halves}, at least cols long): what a core's gemm does with its scratch, several times faster
     * than reading value by value.
     */
    public void widenRow(int r, float[] dst, int at, short[] halves) {
        Span s = span();
        switch (dtype) {
            case FP32 -> s.floats().get(element(s, r), dst, at, cols);
            case BF16 -> {
                s.halves().get(element(s, r), halves, 0, cols);
                for (int c = 0; c < cols; c++) dst[at + c] = bf16(halves[c]);
            }
            case FP16 -> {
                s.halves().get(element(s, r), halves, 0, cols);
                for (int c = 0; c < cols; c++) dst[at + c] = Float.float16ToFloat(halves[c]);
            }
            default -> {
                int g = firstRow + r, shift = 2 * (g / planeRows);
                int p = at(s, offset + (long) (g % planeRows) * rowStride);
                ByteBuffer b = s.bytes();
                for (int c = 0; c < cols; c++) dst[at + c] = ((b.get(p + c) >> shift) & 3) - 1;
            }
        }
    }

    /**
     * Row r's 16-bit values as stored (bf16 or fp16 bits, unconverted) into dst[at, at + cols), in one bulk copy:
     * for a kernel that widens each value where it multiplies it.
     */
    public void bitsRow(int r, short[] dst, int at) {
        if (dtype.bits() != 16) throw new IllegalStateException(dtype + " has no 16-bit values");
        Span s = span();
        s.halves().get(element(s, r), dst, at, cols);
    }

    /** bfloat16 bits widened to fp32 (exact: bf16 is fp32's upper half; the short's sign extension is shifted out). */
    public static float bf16(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** The floating value of {@code dtype} (FP32, BF16, FP16) at byte {@code at} of little-endian {@code bytes}, widened exactly to fp32. */
    public static float value(DType dtype, ByteBuffer bytes, int at) {
        return switch (dtype) {
            case FP32 -> bytes.getFloat(at);
            case BF16 -> bf16(bytes.getShort(at));
            case FP16 -> Float.float16ToFloat(bytes.getShort(at));
            default -> throw new IllegalArgumentException(dtype + " is not floating");
        };
    }

    /** The index of (r, 0) in elements of the span (a floating matrix's offsets are whole elements). */
    private int element(Span s, int r) {
        return Math.toIntExact((offset - s.from() + (long) r * rowStride * width()) / width());
    }

    /** Every value widened, row-major: a copy on the heap (for operators that need fp32 operands). */
    public float[] widen() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) widenRow(r, out, r * cols);
        return out;
    }

    /** The [n, m] block at (r0, c0), sharing the region. */
    public Stored block(int r0, int n, int c0, int m) {
        if (r0 < 0 || c0 < 0 || n < 1 || m < 1 || r0 + n > rows || c0 + m > cols) {
            throw new IllegalArgumentException("block [" + r0 + "+" + n + ", " + c0 + "+" + m + "] outside " + rows + "x" + cols);
        }
        if (dtype == DType.TERNARY) return new Stored(dtype, region, offset + c0, rowStride, planeRows, firstRow + r0, n, m);
        return new Stored(dtype, region, offset + ((long) r0 * rowStride + c0) * width(), rowStride, 0, 0, n, m);
    }

    /** Row r's columns [c0, c0 + n) as an [n, 1] column, sharing the region (an embedding row's piece). */
    public Stored column(int r, int c0, int n) {
        if (dtype == DType.TERNARY) throw new IllegalStateException("a ternary matrix has no column views");
        if (r < 0 || r >= rows || c0 < 0 || n < 1 || c0 + n > cols) throw new IllegalArgumentException("row " + r + " [" + c0 + "+" + n + "] outside " + rows + "x" + cols);
        return new Stored(dtype, region, offset + ((long) r * rowStride + c0) * width(), 1, 0, 0, n, 1);
    }

    /**
     * The matrices (all of one type and width) one below another, copied compact onto the heap when first read (so
     * a JVM that never reads it, one not hosting its bank, neither holds the copy nor maps the parts).
     */
    public static Stored stack(List<Stored> parts) {
        Stored first = parts.getFirst();
        int total = 0;
        for (Stored p : parts) {
            if (p.dtype != first.dtype || p.cols != first.cols) throw new IllegalArgumentException("cannot stack " + p + " under " + first);
            total += p.rows;
        }
        List<Stored> copy = List.copyOf(parts);
        long size = bytes(first.dtype, total, first.cols);
        return new Stored(first.dtype, new Region(null, 0, size, copy, List.of()), 0, first.cols, first.dtype == DType.TERNARY ? Math.ceilDiv(total, 4) : 0,
                0, total, first.cols);
    }

    /** The parts' values one below another in the canonical compact form. */
    private static byte[] stackBytes(List<Stored> parts) {
        Stored first = parts.getFirst();
        Writer w = new Writer(first.dtype, parts.stream().mapToInt(Stored::rows).sum(), first.cols);
        int row = 0;
        for (Stored p : parts) {
            for (int r = 0; r < p.rows; r++, row++) {
                for (int c = 0; c < p.cols; c++) w.put(row, c, p.get(r, c));
            }
        }
        return w.bytes;
    }

    /** Bytes of the canonical compact form: row-major, ternary in ceil(rows/4) byte rows. */
    public int compactSize() {
        return Math.toIntExact(bytes(dtype, rows, cols));
    }

    /**
     * The bytes of a [rows, cols] matrix of {@code dtype} stored row-major, packed ternary in ceil(rows / 4) byte
     * rows: the compact form, and a checkpoint tensor's size.
     */
    public static long bytes(DType dtype, int rows, int cols) {
        return dtype == DType.TERNARY ? (long) Math.ceilDiv(rows, 4) * cols : (long) rows * cols * (dtype.bits() / 8);
    }

    /** The canonical compact form (what travels on the wire and into checkpoints). */
    public byte[] compactBytes() {
        Span s = span();
        ByteBuffer buf = s.bytes();
        if (!buf.isDirect() && offset == 0 && s.from() == 0 && firstRow == 0 && buf.hasArray() && buf.arrayOffset() == 0
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
            requireCapacity(b.capacity(), bytes(dtype, rows, cols), dtype, rows, cols);
            return new Stored(dtype, Region.of(b), 0, cols, Math.ceilDiv(rows, 4), 0, rows, cols);
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
        return "Stored[" + rows + "x" + cols + " " + dtype.key() + (region.inFile() ? " in file" : offHeap() ? " off heap" : " heap") + "]";
    }
}
