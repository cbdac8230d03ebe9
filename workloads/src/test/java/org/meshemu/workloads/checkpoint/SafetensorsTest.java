package org.meshemu.workloads.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tensor;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static void assertMessage(CheckpointException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        assertTrue(!e.getMessage().contains("\n"), "message is not one line");
    }

    @Test
    void roundTripsF32Bf16U8I8AndScalars() {
        float[] f = {1.5f, -0.0f, Float.MIN_NORMAL, 3.4e38f, -7.25f, 1e-3f};
        float[] b = {1.0f, -2.5f, 3.14159265f, 1.00390625f, 1.01171875f, 65504f};
        byte[] u = {0, 1, 2, (byte) 255, 85, (byte) 170};
        Path file = dir.resolve("rt.safetensors");
        new SafetensorsWriter()
                .putFloats("f32", new int[] {2, 3}, f, DType.FP32)
                .putFloats("bf16", new int[] {3, 2}, b, DType.BF16)
                .putBytes("u8", new int[] {6}, u, DType.UINT8)
                .putBytes("i8", new int[] {2, 1}, new byte[] {-128, 127}, DType.INT8)
                .putFloats("scalar", new int[] {}, new float[] {42f}, DType.FP32)
                .metadata("format", "pt")
                .write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            Tensor rf = r.read("f32");
            assertArrayEquals(new int[] {2, 3}, rf.shape());
            assertArrayEquals(f, rf.f32(), 0f);
            Tensor rb = r.read("bf16");
            assertEquals(DType.BF16, rb.dtype());
            // bf16 keeps 8 significant bits, round half to even:
            // pi = 1.1001001000011111... x 2^1 -> 1.1001001 x 2^1 = 3.140625;
            // 1.00390625 = 1 + 2^-8 is exactly half-way between 1 and 1 + 2^-7 -> even mantissa -> 1.0;
            // 1.01171875 = 1 + 3 * 2^-8 is half-way between 1 + 2^-7 and 1 + 2^-6 -> even -> 1 + 2^-6 = 1.015625;
            // 65504 = 1.1111111111 x 2^15 rounds up to 2^16 = 65536.
            assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f, 1.0f, 1.015625f, 65536f}, rb.f32(), 0f);
            assertArrayEquals(u, r.read("u8").bytes());
            assertArrayEquals(new byte[] {-128, 127}, r.read("i8").bytes());
            Tensor s = r.read("scalar");
            assertEquals(0, s.shape().length);
            assertEquals(1, s.numel());
            assertEquals(42f, s.f32()[0]);
            assertEquals(Map.of("format", "pt"), r.metadata());
        }
    }

    @Test
    void writerPadsTheHeaderWithSpacesToAMultipleOf8() throws IOException {
        Path file = dir.resolve("pad.safetensors");
        new SafetensorsWriter().putFloats("x", new int[] {1}, new float[] {1f}, DType.FP32).write(file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        assertEquals(' ', bytes[(int) (8 + n - 1)]);
        assertEquals(8 + n + 4, bytes.length);
    }

    @Test
    void readsUnalignedHeadersAndF16() throws IOException {
        // 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF (largest half)
        byte[] data = {0x00, 0x3C, 0x00, (byte) 0xC0, (byte) 0xFF, 0x7B};
        Path file = RawSafetensors.write(dir.resolve("f16.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}", data);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1f, -2f, 65504f}, r.read("h").f32(), 0f);
        }
    }

    @Test
    void rejectsTruncatedFileNamingTheLastTensor() throws IOException {
        Path file = dir.resolve("model.safetensors");
        new SafetensorsWriter()
                .putFloats("a", new int[] {4}, new float[4], DType.FP32)
                .putFloats("model.norm.weight", new int[] {4}, new float[4], DType.FP32)
                .write(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 3);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file));
        assertMessage(e, "model.safetensors", "'model.norm.weight'", "truncated");
    }

    @Test
    void rejectsHeaderLengthLongerThanTheFile() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("long.safetensors"), 1000,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file));
        assertMessage(e, "long.safetensors", "header length 1000 is longer than the file");
    }

    @Test
    void rejectsHugeHeaderLength() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("huge.safetensors"), 100_000_001L, "{}", new byte[0]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file));
        assertMessage(e, "huge.safetensors", "exceeds the limit");
    }

    @Test
    void rejectsOverlappingOffsetsNamingBothTensors() throws IOException {
        String header = "{\"model.layers.0.self_attn.q_proj.weight\":{\"dtype\":\"F32\",\"shape\":[25],"
                + "\"data_offsets\":[100,200]},"
                + "\"model.embed\":{\"dtype\":\"F32\",\"shape\":[32],\"data_offsets\":[0,128]}}";
        Path file = RawSafetensors.write(dir.resolve("model.safetensors"), header, new byte[200]);
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file));
        assertMessage(e, "model.safetensors: tensor 'model.layers.0.self_attn.q_proj.weight'",
                "data_offsets [100, 200] overlap the previous tensor 'model.embed' ending at 128");
    }

    @Test
    void rejectsGapsAndTrailingBytes() throws IOException {
        Path gap = RawSafetensors.write(dir.resolve("gap.safetensors"),
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[1,3]}}", new byte[3]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(gap)),
                "gap.safetensors: tensor 'a'", "gap");
        Path tail = RawSafetensors.write(dir.resolve("tail.safetensors"),
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[5]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(tail)),
                "tail.safetensors", "3 bytes after the last tensor 'a'");
    }

    @Test
    void rejectsSizeNotMatchingShape() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("size.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file)),
                "size.safetensors: tensor 'w'", "span 8 bytes", "needs 12");
    }

    @Test
    void rejectsUnsupportedDtype() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("f64.safetensors"),
                "{\"model.embed_tokens.weight\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                new byte[8]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file)),
                "f64.safetensors: tensor 'model.embed_tokens.weight'", "unsupported dtype F64");
    }

    @Test
    void rejectsBadJsonAndDuplicateNames() throws IOException {
        Path bad = RawSafetensors.write(dir.resolve("bad.safetensors"), "{\"a\":", new byte[0]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(bad)),
                "bad.safetensors", "not valid JSON");
        String entry = "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}";
        Path dup = RawSafetensors.write(dir.resolve("dup.safetensors"),
                "{\"a\":" + entry + ",\"a\":" + entry + "}", new byte[1]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(dup)),
                "dup.safetensors", "Duplicate");
    }

    @Test
    void rejectsFileShorterThanTheLengthField() throws IOException {
        Path file = Files.write(dir.resolve("tiny.safetensors"), new byte[5]);
        assertMessage(assertThrows(CheckpointException.class, () -> SafetensorsReader.open(file)),
                "tiny.safetensors", "shorter than the 8-byte header length field");
    }
}
