package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tensor;

/**
 * One safetensors file, validated in full when opened, tensor data memory-mapped on read.
 *
 * <p>Contract: {@link #open} either returns a reader whose every header entry is well-formed (known dtype,
 * non-negative shape, {@code end - begin == numel * width}, entries contiguous from offset 0 when sorted, and
 * {@code 8 + N + last_end == file length}) or throws a {@link CheckpointException} naming the file and, where
 * one is to blame, the tensor. No alignment of the data section is assumed. Each read maps only that tensor's
 * byte range, so files larger than 2 GiB work as long as each tensor fits a Java array.
 */
public final class SafetensorsReader implements TensorSource, AutoCloseable {
    /** Upper bound on the header length N, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path path;
    private final String fileName;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> entries;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> entries,
                              Map<String, String> metadata) {
        this.path = path;
        this.fileName = displayName(path);
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    /** Opens and validates {@code file}; the caller closes the reader. */
    public static SafetensorsReader open(Path file) {
        String name = displayName(file);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(name + ": cannot open (" + e + ")", e);
        }
        try {
            return readHeader(file, name, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafetensorsReader readHeader(Path file, String name, FileChannel ch) {
        long size;
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try {
            size = ch.size();
            if (size < 8) {
                throw new CheckpointException(name + ": file is " + size
                        + " bytes, shorter than the 8-byte header length field");
            }
            readFully(ch, lenBuf, 0);
        } catch (IOException e) {
            throw new CheckpointException(name + ": cannot read (" + e + ")", e);
        }
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new CheckpointException(name + ": header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + n > size) {
            throw new CheckpointException(name + ": header length " + n + " is longer than the file ("
                    + size + " bytes, so at most " + (size - 8) + " header bytes)");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        try {
            readFully(ch, headerBytes, 8);
        } catch (IOException e) {
            throw new CheckpointException(name + ": cannot read header (" + e + ")", e);
        }
        String headerText;
        try {
            headerText = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(name + ": header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(headerText);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(name + ": header is not valid JSON: "
                    + e.getOriginalMessage().replace('\n', ' '), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(name + ": header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals("__metadata__")) {
                readMetadata(name, e.getValue(), metadata);
            } else {
                entries.put(e.getKey(), parseEntry(name, e.getKey(), e.getValue()));
            }
        }
        checkLayout(name, entries.values(), size - 8 - n);
        return new SafetensorsReader(file, ch, 8 + n, Collections.unmodifiableMap(entries),
                Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(String file, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw new CheckpointException(file + ": __metadata__ must be an object of strings");
        }
        node.properties().forEach(m -> {
            if (!m.getValue().isTextual()) {
                throw new CheckpointException(file + ": __metadata__ key '" + m.getKey() + "' must be a string");
            }
            out.put(m.getKey(), m.getValue().asText());
        });
    }

    private static TensorInfo parseEntry(String file, String tensor, JsonNode node) {
        if (!node.isObject()) {
            throw CheckpointException.tensor(file, tensor, "header entry is not an object");
        }
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw CheckpointException.tensor(file, tensor, "missing string field 'dtype'");
        }
        DType dtype = SafetensorsTypes.fromHeader(dt.asText());
        if (dtype == null) {
            throw CheckpointException.tensor(file, tensor, "unsupported dtype " + dt.asText()
                    + " (supported: " + SafetensorsTypes.supportedList() + ")");
        }
        JsonNode sh = node.get("shape");
        if (sh == null || !sh.isArray()) {
            throw CheckpointException.tensor(file, tensor, "missing array field 'shape'");
        }
        int[] shape = new int[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw CheckpointException.tensor(file, tensor, "shape " + sh + " has an invalid dimension " + d);
            }
            shape[i] = d.asInt();
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber() || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw CheckpointException.tensor(file, tensor, "'data_offsets' must be [begin, end], got " + off);
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw CheckpointException.tensor(file, tensor, "data_offsets [" + begin + ", " + end
                    + "] are not 0 <= begin <= end");
        }
        long numel;
        try {
            numel = Tensor.elementCount(shape);
            long expected = SafetensorsTypes.bytes(dtype, numel);
            if (end - begin != expected) {
                throw CheckpointException.tensor(file, tensor, "data_offsets [" + begin + ", " + end + "] span "
                        + (end - begin) + " bytes but shape " + Tensor.shapeString(shape) + " of " + SafetensorsTypes.name(dtype)
                        + " needs " + expected);
            }
        } catch (ArithmeticException e) {
            throw CheckpointException.tensor(file, tensor, "shape " + Tensor.shapeString(shape) + " overflows");
        }
        if (numel > Integer.MAX_VALUE - 8) {
            throw CheckpointException.tensor(file, tensor, numel + " elements do not fit one Java array");
        }
        return new TensorInfo(tensor, dtype, shape, begin, end);
    }

    /** Sorted by offset, tensors must tile the data section exactly: no overlap, no gap, no tail. */
    private static void checkLayout(String file, Iterable<TensorInfo> infos, long dataBytes) {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        String previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < expectedBegin) {
                throw CheckpointException.tensor(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap the previous tensor '" + previous + "' ending at " + expectedBegin);
            }
            if (t.begin() > expectedBegin) {
                throw CheckpointException.tensor(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] leave a gap after " + (previous == null ? "the start of the data section"
                        : "the previous tensor '" + previous + "'") + " ending at " + expectedBegin);
            }
            expectedBegin = t.end();
            previous = t.name();
        }
        if (expectedBegin > dataBytes) {
            throw CheckpointException.tensor(file, previous, "data ends at offset " + expectedBegin
                    + " but the file holds only " + dataBytes + " data bytes (truncated file?)");
        }
        if (expectedBegin < dataBytes) {
            throw new CheckpointException(file + ": " + (dataBytes - expectedBegin)
                    + " bytes after the last tensor" + (previous == null ? "" : " '" + previous + "'")
                    + " (8 + N + last_end must equal the file length)");
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return entries.get(name);
    }

    @Override
    public String location(String name) {
        return fileName;
    }

    @Override
    public Tensor read(String name) {
        TensorInfo t = entries.get(name);
        if (t == null) {
            throw CheckpointException.tensor(fileName, name, "missing");
        }
        int n = (int) t.numel();
        ByteBuffer buf = map(t);
        return switch (t.dtype()) {
            case FP32 -> {
                float[] out = new float[n];
                buf.asFloatBuffer().get(out);
                yield Tensor.ofFloats(name, t.shape(), out, DType.FP32);
            }
            case BF16, FP16 -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) out[i] = Stored.value(t.dtype(), buf, 2 * i);
                yield Tensor.ofFloats(name, t.shape(), out, t.dtype());
            }
            case UINT8, INT8 -> {
                byte[] out = new byte[n];
                buf.get(out);
                yield Tensor.ofBytes(name, t.shape(), out, t.dtype());
            }
            case INT32 -> {
                int[] out = new int[n];
                buf.asIntBuffer().get(out);
                yield Tensor.ofInts(name, t.shape(), out);
            }
            case TERNARY -> throw new IllegalStateException("no safetensors type is read as " + t.dtype()); // SafetensorsTypes has none
        };
    }

    /**
     * The tensor as stored, in place: its bytes are mapped only when asked for ({@link Stored#map}, the span the
     * banks of this JVM read) or first read, so the page cache holds them, not the heap.
     */
    @Override
    public Stored matrix(String name, int rows, int cols) {
        return inFile(name, rows, cols, false);
    }

    @Override
    public Stored packedTernary(String name, int out, int in) {
        return inFile(name, out, in, true);
    }

    /**
     * Streams the tensor through a heap buffer of at most 1 MiB (a node checks the whole checkpoint at load but maps
     * only its banks' share of it).
     */
    @Override
    public long firstNonFinite(String name, int rows, int cols) {
        TensorInfo t = entries.get(name);
        if (t == null) throw CheckpointException.tensor(fileName, name, "missing");
        int width = t.dtype().bits() / 8;
        ByteBuffer chunk = ByteBuffer.allocate(Math.toIntExact(Math.min(1 << 20, Math.max(width, t.end() - t.begin())))).order(ByteOrder.LITTLE_ENDIAN);
        long element = 0;
        for (long at = t.begin(); at < t.end(); ) {
            chunk.clear().limit(Math.toIntExact(Math.min(chunk.capacity(), t.end() - at)));
            try {
                readFully(channel, chunk, dataStart + at);
            } catch (IOException e) {
                throw CheckpointException.tensor(fileName, name, "cannot read data (" + e + ")");
            }
            at += chunk.flip().limit();
            for (int i = 0; i < chunk.limit(); i += width, element++) {
                if (!Float.isFinite(Stored.value(t.dtype(), chunk, i))) return element;
            }
        }
        return -1;
    }

    /** Tensor {@code name} as a [rows, cols] matrix in the file: of its own floating type, or packed ternary. */
    private Stored inFile(String name, int rows, int cols, boolean packedTernary) {
        TensorInfo t = entries.get(name);
        if (t == null) throw CheckpointException.tensor(fileName, name, "missing");
        DType dtype = packedTernary ? DType.TERNARY : t.dtype();
        long needs = Stored.bytes(dtype, rows, cols);
        if (needs > t.end() - t.begin()) {
            throw CheckpointException.tensor(fileName, name, "holds " + (t.end() - t.begin()) + " bytes, not the " + needs + " of [" + rows + ", " + cols + "]");
        }
        return Stored.inFile(dtype, path.toAbsolutePath(), dataStart + t.begin(), rows, cols);
    }

    private ByteBuffer map(TensorInfo t) {
        long len = t.end() - t.begin();
        if (len == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), len);
            return m.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw CheckpointException.tensor(fileName, t.name(), "cannot map data (" + e + ")");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the validation error is the one worth reporting
        }
    }

    static String displayName(Path p) {
        Path f = p.getFileName();
        return f == null ? p.toString() : f.toString();
    }
}
