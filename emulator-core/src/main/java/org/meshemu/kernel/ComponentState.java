package org.meshemu.kernel;

import com.esotericsoftware.kryo.Kryo;
import org.meshemu.tensor.Stored;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * A component's state as a checkpoint holds it: the kernel's bookkeeping for it (its sequence
 * number, its random stream, its pending events) and every field of the component that is not
 * {@code transient}, written with Kryo (class names on file, references shared within one
 * component). Transient fields are the component's configuration: a resumed run creates the
 * component with the assembly's factory, as a fresh run does, and sets the saved fields into it. A
 * field that cannot be written (a lambda, say) fails the checkpoint naming it.
 *
 * <p>Records are framed as (id, length, bytes), so that a part of a checkpoint can be split by
 * component without decoding it ({@link #forEach}). One instance per thread: Kryo is not
 * thread-safe.
 */
public final class ComponentState {
    /** The fields a checkpoint holds, by component class: not static, not transient, not synthetic. */
    private static final ClassValue<Field[]> STATE_FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic()) continue;
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
            return fields.toArray(Field[]::new);
        }
    };

    private final Kryo kryo = new Kryo(new DefaultClassResolver() {
        @Override
        @SuppressWarnings("rawtypes")
        public Registration writeClass(Output output, Class type) {
            // a lambda's class has no name another JVM could load: fail now, naming the field, not at resume
            if (type != null && type.isHidden()) throw new KryoException("a lambda or hidden class, " + type.getName());
            return super.writeClass(output, type);
        }
    }, new MapReferenceResolver());
    private final Output out = new Output(4096, -1);

    public ComponentState() {
        kryo.setRegistrationRequired(false);  // a checkpoint names classes: it is read by the same build
        kryo.setReferences(true);             // a tile in a slot and in a queued event stays one tile
        kryo.setAutoReset(false);             // references span a component's fields; reset per component
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        kryo.addDefaultSerializer(Stored.class, STORED); // a mapped weight's buffer cannot be written field by field
    }

    /** A stored matrix in its compact form (its type, shape and bytes), read back onto the heap. */
    private static final com.esotericsoftware.kryo.Serializer<Stored> STORED = new com.esotericsoftware.kryo.Serializer<>() {
        @Override
        public void write(Kryo k, Output o, Stored s) {
            o.writeVarInt(s.dtype().ordinal(), true);
            o.writeVarInt(s.rows(), true);
            o.writeVarInt(s.cols(), true);
            byte[] bytes = s.compactBytes();
            o.writeVarInt(bytes.length, true);
            o.writeBytes(bytes);
        }

        @Override
        public Stored read(Kryo k, com.esotericsoftware.kryo.io.Input in, Class<? extends Stored> type) {
            org.meshemu.tensor.DType dtype = org.meshemu.tensor.DType.values()[in.readVarInt(true)];
            int rows = in.readVarInt(true), cols = in.readVarInt(true);
            return Stored.fromCompact(dtype, rows, cols, in.readBytes(in.readVarInt(true)));
        }
    };

    /** Appends the framed record of {@code host} to {@code to}; the component must be idle (a barrier). */
    void write(ComponentActor<?> host, String label, DataOutputStream to) {
        out.reset();
        try {
            host.drainInbox();
            out.writeVarLong(host.seq(), true);
            out.writeLong(host.now());
            SplitMix random = host.randomIfDrawn();
            out.writeBoolean(random != null);
            if (random != null) out.writeLong(random.state());
            Event[] pending = host.pending();
            out.writeVarInt(pending.length, true);
            for (Event e : pending) {
                out.writeLong(e.time());
                out.writeVarInt(e.source(), true);
                out.writeVarLong(e.seq(), true);
                out.writeVarInt(e.port() + 1, true); // SELF is -1
                writeValue(label, "a pending event", e.payload());
            }
            Object component = host.component();
            for (Field f : STATE_FIELDS.get(component.getClass())) {
                writeValue(label, "field " + f.getDeclaringClass().getSimpleName() + "." + f.getName(), f.get(component));
            }
            to.writeInt(host.id());
            to.writeInt(out.position());
            to.write(out.getBuffer(), 0, out.position());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(label + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            kryo.reset();
        }
    }

    private void writeValue(String label, String what, Object value) {
        try {
            kryo.writeClassAndObject(out, value);
        } catch (RuntimeException e) {
            throw new IllegalStateException(label + ": " + what + " cannot be checkpointed (" + e.getMessage()
                    + "); a component's configuration must be in transient fields", e);
        }
    }

    /** Sets the state of {@code record} into {@code host}, whose component is fresh from its factory. */
    void read(ComponentActor<?> host, byte[] record) {
        Input in = new Input(record);
        try {
            long seq = in.readVarLong(true);
            long now = in.readLong();
            SplitMix random = in.readBoolean() ? new SplitMix(in.readLong()) : null;
            int n = in.readVarInt(true);
            List<Event> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long time = in.readLong();
                int source = in.readVarInt(true);
                long eventSeq = in.readVarLong(true);
                int port = in.readVarInt(true) - 1;
                pending.add(new Event(time, source, eventSeq, host.id(), port, kryo.readClassAndObject(in)));
            }
            Object component = host.component();
            for (Field f : STATE_FIELDS.get(component.getClass())) f.set(component, kryo.readClassAndObject(in));
            if (in.position() != record.length) throw new IllegalStateException((record.length - in.position()) + " bytes left over");
            host.restore(seq, now, random, pending);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("the checkpointed state of component " + host.id() + " does not fit this build's "
                    + host.component().getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            kryo.reset();
        }
    }

    /** What {@link #forEach} hands over: a component id and its record. */
    @FunctionalInterface
    public interface RecordConsumer {
        void accept(int id, byte[] record);
    }

    /** Splits a run of framed records into (id, record). */
    public static void forEach(byte[] records, RecordConsumer consumer) {
        ByteBuffer b = ByteBuffer.wrap(records);
        while (b.hasRemaining()) {
            int id = b.getInt();
            int length = b.getInt();
            if (id < 0 || length < 0 || length > b.remaining()) {
                throw new IllegalStateException("a component record is cut short (component " + id + ", " + length + " bytes)");
            }
            byte[] record = new byte[length];
            b.get(record);
            consumer.accept(id, record);
        }
    }
}
