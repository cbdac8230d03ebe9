package org.meshemu.workloads.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-made safetensors bytes for malformed-file tests: the header is written verbatim, unpadded. */
final class RawSafetensors {
    private RawSafetensors() {
    }

    static Path write(Path file, String headerJson, byte[] data) throws IOException {
        return write(file, headerJson.getBytes(StandardCharsets.UTF_8).length, headerJson, data);
    }

    /** Like {@link #write} but with an explicit (possibly lying) header length field. */
    static Path write(Path file, long declaredLength, String headerJson, byte[] data) throws IOException {
        byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(h).put(data);
        Files.write(file, b.array());
        return file;
    }
}
