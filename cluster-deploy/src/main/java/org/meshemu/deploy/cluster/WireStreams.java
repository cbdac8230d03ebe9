package org.meshemu.deploy.cluster;

import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.ByteBufferOutput;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Kryo's streams with float arrays copied in bulk: Kryo writes and reads a {@code float[]} one
 * element at a time (four single-byte puts each); these copy the whole run through a little-endian
 * {@link java.nio.FloatBuffer} view, which the JDK turns into a memory copy. The bytes are Kryo's own
 * (each value's bits, little-endian, as {@code writeInt} writes them), except that a NaN keeps its
 * payload bits, so every stream reads what any other wrote.
 */
final class WireStreams {
    private WireStreams() {}

    /** Writes into Artery's buffer. */
    static final class BufferOutput extends ByteBufferOutput {
        BufferOutput(ByteBuffer buffer) {
            super(buffer);
        }

        @Override
        public void writeFloats(float[] values, int offset, int count) {
            require(count * 4);
            byteBuffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, offset, count);
            byteBuffer.position(byteBuffer.position() + count * 4);
            position += count * 4;
        }
    }

    /** Writes into a growing array ({@code toBinary(Object)}). */
    static final class ArrayOutput extends Output {
        ArrayOutput(int bufferSize, int maxBufferSize) {
            super(bufferSize, maxBufferSize);
        }

        @Override
        public void writeFloats(float[] values, int offset, int count) {
            require(count * 4);
            ByteBuffer.wrap(buffer, position, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, offset, count);
            position += count * 4;
        }
    }

    /** Reads from Artery's buffer. */
    static final class BufferInput extends ByteBufferInput {
        BufferInput(ByteBuffer buffer) {
            super(buffer);
        }

        @Override
        public float[] readFloats(int count) {
            require(count * 4);
            float[] values = new float[count];
            byteBuffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            byteBuffer.position(byteBuffer.position() + count * 4);
            position += count * 4;
            return values;
        }
    }

    /** Reads from an array. */
    static final class ArrayInput extends Input {
        ArrayInput(byte[] bytes) {
            super(bytes);
        }

        @Override
        public float[] readFloats(int count) {
            require(count * 4);
            float[] values = new float[count];
            ByteBuffer.wrap(buffer, position, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            position += count * 4;
            return values;
        }
    }
}
