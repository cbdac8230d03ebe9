package org.meshemu.workloads.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;

/**
 * Builds one safetensors file from named tensors, in insertion order.
 *
 * <p>Contract: floats are stored as F32 or BF16 (round to nearest even, as torch does), bytes as U8/I8, ints as
 * I32; the header JSON is padded with spaces to a multiple of 8 bytes; offsets are contiguous from 0. The output
 * is accepted by {@link SafetensorsReader} and by the reference implementation. A tensor may also be declared by
 * its type and shape with a function that fills its bytes in place ({@link #put(String, DType, int[], Consumer)}),
 * so that a file larger than the heap is written one tensor at a time into the mapped file.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** A tensor's type, shape and what writes its bytes (little-endian) into the file's region for it. */
    private record Entry(DType dtype, int[] shape, Consumer<ByteBuffer> fill) {
        long bytes() { return SafetensorsTypes.bytes(dtype, Tensor.elementCount(shape)); }
    }

    /** Adds a tensor under {@code name}; floats are written in the tensor's {@code dtype} (F32 or BF16). */
    public SafetensorsWriter put(String name, Tensor tensor) {
        return put(name, tensor.dtype(), tensor.shape(), region -> region.put(encode(tensor)));
    }

    /**
     * Adds tensor {@code name} of {@code dtype} and {@code shape} whose bytes {@code fill} writes, when the file is
     * written, into the buffer it is given: exactly the tensor's bytes, little-endian, positioned at 0 (absolute
     * puts may come from several threads).
     */
    public SafetensorsWriter put(String name, DType dtype, int[] shape, Consumer<ByteBuffer> fill) {
        if (dtype == DType.FP16) {
            throw new IllegalArgumentException(name + ": writing F16 is not supported, use F32 or BF16");
        }
        if (name.equals("__metadata__") || tensors.putIfAbsent(name, new Entry(dtype, shape.clone(), fill)) != null) {
            throw new IllegalArgumentException("duplicate or reserved tensor name " + name);
        }
        return this;
    }

    public SafetensorsWriter putFloats(String name, int[] shape, float[] data, DType storeAs) {
        return put(name, Tensor.ofFloats(name, shape, data, storeAs));
    }

    public SafetensorsWriter putBytes(String name, int[] shape, byte[] data, DType storeAs) {
        return put(name, Tensor.ofBytes(name, shape, data, storeAs));
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Size in bytes of the data section of the tensors added so far. */
    public long dataBytes() {
        long n = 0;
        for (Entry t : tensors.values()) {
            n += t.bytes();
        }
        return n;
    }

    public void write(Path file) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            Entry t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", SafetensorsTypes.name(t.dtype()));
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long len = t.bytes();
            entry.putArray("data_offsets").add(offset).add(offset + len);
            offset += len;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, head.flip());
            long at = 8 + padded;
            // each tensor filled in its region of the mapped file: the heap never holds more than what a fill makes
            for (Map.Entry<String, Entry> e : tensors.entrySet()) {
                long len = e.getValue().bytes();
                if (len > Integer.MAX_VALUE) throw new IllegalArgumentException(e.getKey() + ": " + len + " bytes, more than one mapping (2 GiB) holds");
                if (len > 0) {
                    java.nio.MappedByteBuffer region = ch.map(FileChannel.MapMode.READ_WRITE, at, len);
                    e.getValue().fill().accept(region.order(ByteOrder.LITTLE_ENDIAN));
                }
                at += len;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static ByteBuffer encode(Tensor t) {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(SafetensorsTypes.bytes(t.dtype(), t.numel())))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.BF16) {
            for (float v : t.f32()) {
                buf.putShort(toBf16(v));
            }
        } else if (t.f32() != null) {
            buf.asFloatBuffer().put(t.f32());
        } else if (t.bytes() != null) {
            buf.put(t.bytes());
        } else {
            buf.asIntBuffer().put(t.i32());
        }
        return buf.position(0).limit(buf.capacity());
    }

    /** float to bfloat16 bits, round to nearest even; NaN stays a quiet NaN. */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** The float a value becomes after a BF16 round trip. */
    public static float roundToBf16(float v) {
        return org.meshemu.tensor.Stored.bf16(toBf16(v));
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
