package org.meshemu.deploy.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.ByteBufferInput;
import com.esotericsoftware.kryo.io.ByteBufferOutput;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The Pekko serializer of every message that crosses JVMs (docs/CLUSTER.md): Kryo with explicit
 * registration ids ({@link WireKryo}), so no class name travels and an unregistered class fails
 * naming itself. Kryo instances are pooled (a Kryo is not thread-safe, a serializer is shared by
 * Artery's lanes); Artery hands its own buffers to {@link #toBinary(Object, ByteBuffer)}, so a tile's
 * values are copied once into the frame on the sending side and once out of it on the receiving side,
 * each in bulk ({@link WireStreams}).
 */
public final class WireSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
    /** Pekko's id of this serializer (ids below 100 are Pekko's own). */
    public static final int IDENTIFIER = 7_311_002;

    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs = new Pool<>(true, false, 16) {
        @Override
        protected Output create() { return new WireStreams.ArrayOutput(64 * 1024, -1); }
    };

    public WireSerializer(ExtendedActorSystem system) {
        ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
        this.kryos = new Pool<>(true, false, 64) {
            @Override
            protected Kryo create() { return WireKryo.create(resolver); }
        };
    }

    @Override
    public int identifier() { return IDENTIFIER; }

    /** The class travels as its Kryo registration id inside the bytes, so the manifest is empty. */
    @Override
    public String manifest(Object o) { return ""; }

    @Override
    public void toBinary(Object o, ByteBuffer buf) {
        Kryo kryo = kryos.obtain();
        try (ByteBufferOutput out = new WireStreams.BufferOutput(buf)) {
            kryo.writeClassAndObject(out, o);
            out.flush();
        } finally {
            kryos.free(kryo);
        }
    }

    @Override
    public byte[] toBinary(Object o) {
        Kryo kryo = kryos.obtain();
        Output out = outputs.obtain();
        try {
            out.reset();
            kryo.writeClassAndObject(out, o);
            return out.toBytes();
        } finally {
            outputs.free(out);
            kryos.free(kryo);
        }
    }

    @Override
    public Object fromBinary(ByteBuffer buf, String manifest) throws NotSerializableException {
        int start = buf.position();
        Kryo kryo = kryos.obtain();
        try (ByteBufferInput in = new WireStreams.BufferInput(buf)) {
            Object o = kryo.readClassAndObject(in);
            return WireKryo.received(o, in.position() - start);
        } catch (KryoException e) {
            throw notSerializable(e);
        } finally {
            kryos.free(kryo);
        }
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        Kryo kryo = kryos.obtain();
        try (Input in = new WireStreams.ArrayInput(bytes)) {
            return WireKryo.received(kryo.readClassAndObject(in), bytes.length);
        } catch (KryoException e) {
            throw notSerializable(e);
        } finally {
            kryos.free(kryo);
        }
    }

    private static NotSerializableException notSerializable(KryoException e) {
        NotSerializableException n = new NotSerializableException("meshemu wire: " + e.getMessage());
        n.initCause(e);
        return n;
    }
}
