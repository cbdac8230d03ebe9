package org.meshemu.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A named tensor with a shape: a run's outputs (float32 or int32), and a checkpoint's weights, whose
 * {@code dtype} is the type the file stores them as (floats widened to float32, INT8/UINT8 kept as bytes,
 * INT32 as ints). Knows how to write itself as a NumPy {@code .npy} file and how to feed its raw
 * little-endian bytes into a digest.
 *
 * <p>Contract: exactly one of {@code f32}, {@code i32}, {@code bytes} holds the values, the one
 * {@code dtype} implies; shape {@code []} is a scalar with one element. The arrays are shared, not copied:
 * treat them as immutable.
 */
public record Tensor(String name, int[] shape, DType dtype, float[] f32, int[] i32, byte[] bytes) {
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        int held = (f32 != null ? 1 : 0) + (i32 != null ? 1 : 0) + (bytes != null ? 1 : 0);
        boolean fits = dtype.isFloating() ? f32 != null : dtype == DType.INT32 ? i32 != null
                : (dtype == DType.INT8 || dtype == DType.UINT8) && bytes != null;
        if (held != 1 || !fits) throw new IllegalArgumentException(name + ": a " + dtype + " tensor holds its values in exactly one array of its kind");
        long n = elementCount(shape);
        int have = f32 != null ? f32.length : i32 != null ? i32.length : bytes.length;
        if (n != have) throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + n + " values, has " + have);
        shape = shape.clone();
    }

    public static Tensor ofFloats(String name, int[] shape, float[] values) {
        return ofFloats(name, shape, values, DType.FP32);
    }

    /** Float values stored as {@code storedAs} (FP32, BF16 or FP16), held widened to float. */
    public static Tensor ofFloats(String name, int[] shape, float[] values, DType storedAs) {
        return new Tensor(name, shape, storedAs, values, null, null);
    }

    public static Tensor ofInts(String name, int[] shape, int[] values) {
        return new Tensor(name, shape, DType.INT32, null, values, null);
    }

    /** Raw INT8 or UINT8 values. */
    public static Tensor ofBytes(String name, int[] shape, byte[] values, DType storedAs) {
        return new Tensor(name, shape, storedAs, null, null, values);
    }

    public int size() { return f32 != null ? f32.length : i32 != null ? i32.length : bytes.length; }

    /** Number of elements, the product of the shape (1 for a scalar). */
    public long numel() { return elementCount(shape); }

    /** The product of {@code shape}; ArithmeticException when it overflows a long. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** The values as raw little-endian bytes, floats as float32 (what the output digest hashes). */
    public ByteBuffer rawBytes() {
        if (bytes != null) return ByteBuffer.wrap(bytes.clone());
        ByteBuffer b = ByteBuffer.allocate(size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        if (f32 != null) b.asFloatBuffer().put(f32); else b.asIntBuffer().put(i32);
        return b;
    }

    /** The file name of this tensor as NumPy: {@code <name>.npy}. */
    public String npyFileName() { return name + ".npy"; }

    /** Writes this tensor as a NumPy {@code .npy} file (format 1.0, C order). */
    public void writeNpy(OutputStream out) throws IOException {
        String descr = f32 != null ? "<f4" : i32 != null ? "<i4" : dtype == DType.UINT8 ? "|u1" : "|i1";
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64; // header padded so the data starts 64-byte aligned
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        head.putShort((short) header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).flip();
        out.write(head.array(), 0, head.limit());
        out.write(rawBytes().array());
    }

    /**
     * Reads a float32 NumPy file ({@code <f4}, C order, format 1.0 to 3.0), as {@link #writeNpy} writes them.
     * Throws IllegalArgumentException saying what is wrong with it (the caller names the file).
     */
    public static Tensor readNpyFloats(String name, byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 10 || (file[0] & 0xff) != 0x93 || !new String(file, 1, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException("not a NumPy .npy file (no \\x93NUMPY magic)");
        }
        int major = file[6];
        if (major < 1 || major > 3) throw new IllegalArgumentException("NumPy format " + major + ", expected 1 to 3");
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort(8)) : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        if (headerLength < 0 || start > file.length) throw new IllegalArgumentException("truncated header");
        String header = new String(file, major == 1 ? 10 : 12, headerLength, java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher descr = java.util.regex.Pattern.compile("'descr':\\s*'([^']*)'").matcher(header);
        java.util.regex.Matcher order = java.util.regex.Pattern.compile("'fortran_order':\\s*(True|False)").matcher(header);
        java.util.regex.Matcher shape = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!descr.find() || !order.find() || !shape.find()) throw new IllegalArgumentException("header without descr, fortran_order and shape: " + header.strip());
        if (!descr.group(1).equals("<f4")) throw new IllegalArgumentException("dtype '" + descr.group(1) + "', expected '<f4' (float32)");
        if (order.group(1).equals("True")) throw new IllegalArgumentException("Fortran order, expected C order");
        int[] dims = Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(t -> !t.isEmpty()).mapToInt(t -> {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("shape (" + shape.group(1) + ")");
            }
        }).toArray();
        long n = 1;
        for (int d : dims) n *= d;
        if (n * 4 != file.length - start) throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " needs " + n * 4 + " data bytes, has " + (file.length - start));
        float[] values = new float[(int) n];
        b.position(start);
        b.asFloatBuffer().get(values);
        return ofFloats(name, dims, values);
    }

    /** SHA-256 of the tensors' raw little-endian bytes, concatenated in the given order, as hex. */
    public static String digest(List<Tensor> tensors) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Tensor t : tensors) md.update(t.rawBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
