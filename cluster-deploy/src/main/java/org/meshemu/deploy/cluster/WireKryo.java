package org.meshemu.deploy.cluster;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.EmulationException;
import org.meshemu.kernel.Event;
import org.meshemu.kernel.NodeSync;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.PartitionStats;
import org.meshemu.kernel.WindowRoot;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Stored;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.WireTypes;

/**
 * The registrations of the wire format: explicit ids for the protocol's messages, then the payload
 * classes of {@link WireTypes#all()} from {@link #FIRST_PAYLOAD_ID} in name order. Messages that
 * hold actor references, events or reports have codecs written here; payload records use Kryo's
 * record serializer, tiles a codec that writes their values in one run.
 */
final class WireKryo {
    static final int FIRST_PAYLOAD_ID = 100;

    private WireKryo() {}

    static Kryo create(ActorRefResolver resolver) {
        Kryo k = new Kryo();
        k.setRegistrationRequired(true); // an unlisted class fails naming itself, never travels by name
        k.setReferences(false);          // messages are trees
        // the protocol: ids 10.. are kernel messages, 30.. the node hosts', 40.. the file transfer's
        k.register(NodeSync.Peers.class, codec((out, m) -> {
            out.writeVarInt(m.byPartition().size(), true);
            for (ActorRef<NodeSync.Command> r : m.byPartition()) out.writeString(resolver.toSerializationFormat(r));
        }, in -> {
            int n = in.readVarInt(true);
            List<ActorRef<NodeSync.Command>> refs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) refs.add(resolver.resolveActorRef(in.readString()));
            return new NodeSync.Peers(refs);
        }), 10);
        k.register(NodeSync.Batch.class, codec((out, b) -> {
            out.writeVarInt(b.from(), true);
            out.writeVarLong(b.epoch() + 1, true); // the start-up epoch is -1
            out.writeBoolean(b.last());
            out.writeBoolean(b.checkpoint());
            out.writeLong(b.nextPs());
            out.writeLong(b.lastPs());
            out.writeVarInt(b.events().size(), true);
            for (Event e : b.events()) writeEvent(k, out, e);
        }, in -> {
            int from = in.readVarInt(true);
            long epoch = in.readVarLong(true) - 1;
            boolean last = in.readBoolean();
            boolean checkpoint = in.readBoolean();
            long nextPs = in.readLong(), lastPs = in.readLong();
            int n = in.readVarInt(true);
            List<Event> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) events.add(readEvent(k, in));
            return new NodeSync.Batch(from, epoch, events, last, nextPs, lastPs, checkpoint, 0);
        }), 12);
        k.register(WindowRoot.Hosted.class, codec((out, h) -> {
            out.writeVarInt(h.partition(), true);
            out.writeString(resolver.toSerializationFormat(h.sync()));
        }, in -> new WindowRoot.Hosted(in.readVarInt(true), resolver.resolveActorRef(in.readString()))), 20);
        k.register(WindowRoot.Started.class, 21);
        k.register(WindowRoot.Progress.class, 22);
        k.register(WindowRoot.PartitionFailed.class, codec((out, f) -> {
            out.writeVarInt(f.partition(), true);
            out.writeString(f.message());
            out.writeString(f.cause() == null ? null : f.cause().toString()); // the cause's class may not exist over there
        }, in -> {
            int p = in.readVarInt(true);
            String message = in.readString();
            String cause = in.readString();
            return new WindowRoot.PartitionFailed(p, message, cause == null ? null : new EmulationException(cause, null));
        }), 23);
        k.register(WindowRoot.PartitionFinished.class, codec((out, f) -> {
            out.writeVarInt(f.partition(), true);
            out.writeVarInt(f.reports().size(), true);
            for (ComponentReport r : f.reports()) writeReport(k, out, r);
            PartitionStats s = f.stats();
            out.writeVarLong(s.epochs(), true);
            out.writeVarInt(s.eventsSentTo().length, true);
            out.writeLongs(s.eventsSentTo(), 0, s.eventsSentTo().length);
            out.writeLong(s.batchesWaitNanos());
            writeLongs(out, s.wireBytesFrom());
            out.writeVarLong(s.windows(), true);
            out.writeVarLong(s.events(), true);
        }, in -> {
            int p = in.readVarInt(true);
            int n = in.readVarInt(true);
            List<ComponentReport> reports = new ArrayList<>(n);
            for (int i = 0; i < n; i++) reports.add(readReport(k, in));
            long epochs = in.readVarLong(true);
            long[] sent = in.readLongs(in.readVarInt(true));
            long wait = in.readLong();
            long[] wireBytesFrom = readLongs(in);
            return new WindowRoot.PartitionFinished(p, reports,
                    new PartitionStats(p, epochs, sent, wait, wireBytesFrom, in.readVarLong(true), in.readVarLong(true)));
        }), 24);
        k.register(WindowRoot.HostLost.class, 25);
        k.register(WindowRoot.Sampled.class, codec((out, m) -> {
            PartitionSample s = m.sample();
            out.writeVarInt(s.partition(), true);
            out.writeString(s.node());
            out.writeVarLong(s.windows(), true);
            out.writeVarLong(s.events(), true);
            out.writeVarLong(s.lastPs() + 1, true); // -1: nothing handled yet
            out.writeVarLong(s.barrierWaitNanos(), true);
            writeLongs(out, s.eventsSentTo());
            writeLongs(out, s.eventsReceivedFrom());
            writeLongs(out, s.wireBytesFrom());
            out.writeVarLong(s.work(), true);
            out.writeVarInt(s.kinds().size(), true);
            for (PartitionSample.Kind kind : s.kinds()) {
                out.writeString(kind.kind());
                out.writeVarInt(kind.count(), true);
                out.writeVarLong(kind.busyPs(), true);
                out.writeVarLong(kind.bytes(), true);
            }
        }, in -> {
            int p = in.readVarInt(true);
            String node = in.readString();
            long windows = in.readVarLong(true), events = in.readVarLong(true), lastPs = in.readVarLong(true) - 1;
            long wait = in.readVarLong(true);
            long[] sent = readLongs(in), received = readLongs(in), bytes = readLongs(in);
            long work = in.readVarLong(true);
            int n = in.readVarInt(true);
            List<PartitionSample.Kind> kinds = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                kinds.add(new PartitionSample.Kind(in.readString(), in.readVarInt(true), in.readVarLong(true), in.readVarLong(true)));
            }
            return new WindowRoot.Sampled(new PartitionSample(p, node, windows, events, lastPs, wait, sent, received, bytes, work, kinds));
        }), 26);
        k.register(WindowRoot.CheckpointPart.class, codec((out, c) -> {
            out.writeVarInt(c.partition(), true);
            out.writeVarLong(c.epoch(), true);
            out.writeVarInt(c.records().length, true);
            out.writeBytes(c.records());
            WindowRoot.PartitionSoFar p = c.soFar();
            out.writeBoolean(p != null);
            if (p != null) {
                out.writeVarLong(p.events(), true);
                out.writeVarLong(p.windows(), true);
                out.writeLong(p.lastPs());
                out.writeVarLong(p.serialiseNanos(), true);
            }
        }, in -> {
            int partition = in.readVarInt(true);
            long epoch = in.readVarLong(true);
            byte[] records = in.readBytes(in.readVarInt(true));
            WindowRoot.PartitionSoFar p = in.readBoolean()
                    ? new WindowRoot.PartitionSoFar(in.readVarLong(true), in.readVarLong(true), in.readLong(), in.readVarLong(true))
                    : null;
            return new WindowRoot.CheckpointPart(partition, epoch, records, p);
        }), 27);
        NodeHost.register(k, resolver);
        FileTransfer.register(k, resolver);
        // payloads
        int id = FIRST_PAYLOAD_ID;
        for (Class<?> type : WireTypes.all()) {
            if (type == Tile.class) k.register(Tile.class, TILE, id++);
            else k.register(type, id++);
        }
        return k;
    }

    /** A message as received: a batch learns the size it had on the wire. */
    static Object received(Object message, int bytes) {
        if (message instanceof NodeSync.Batch b) return new NodeSync.Batch(b.from(), b.epoch(), b.events(), b.last(), b.nextPs(), b.lastPs(),
                b.checkpoint(), bytes);
        return message;
    }

    /** A serializer from a writer and a reader. */
    static <T> Serializer<T> codec(BiConsumer<Output, T> write, Function<Input, T> read) {
        return new Serializer<>() {
            @Override
            public void write(Kryo kryo, Output output, T object) { write.accept(output, object); }

            @Override
            public T read(Kryo kryo, Input input, Class<? extends T> type) { return read.apply(input); }
        };
    }

    /** Non-negative counts, one per partition: small, so variable length. */
    private static void writeLongs(Output out, long[] values) {
        out.writeVarInt(values.length, true);
        for (long v : values) out.writeVarLong(v, true);
    }

    private static long[] readLongs(Input in) {
        long[] values = new long[in.readVarInt(true)];
        for (int i = 0; i < values.length; i++) values[i] = in.readVarLong(true);
        return values;
    }

    private static void writeEvent(Kryo k, Output out, Event e) {
        out.writeVarLong(e.time(), true);
        out.writeVarInt(e.source(), true);
        out.writeVarLong(e.seq(), true);
        out.writeVarInt(e.target(), true);
        out.writeVarInt(e.port(), false); // SELF is -1
        k.writeClassAndObject(out, e.payload());
    }

    private static Event readEvent(Kryo k, Input in) {
        return new Event(in.readVarLong(true), in.readVarInt(true), in.readVarLong(true),
                in.readVarInt(true), in.readVarInt(false), k.readClassAndObject(in));
    }

    private static void writeReport(Kryo k, Output out, ComponentReport r) {
        out.writeVarInt(r.id(), true);
        out.writeString(r.kind());
        out.writeVarLong(r.busyPs(), true);
        out.writeVarInt(r.counters().size(), true);
        r.counters().forEach((name, value) -> {
            out.writeString(name);
            out.writeVarLong(value, false);
        });
        out.writeVarInt(r.memory().size(), true);
        r.memory().forEach((address, tile) -> {
            out.writeVarLong(address, true);
            TILE.write(k, out, tile);
        });
    }

    private static ComponentReport readReport(Kryo k, Input in) {
        int id = in.readVarInt(true);
        String kind = in.readString();
        long busy = in.readVarLong(true);
        String[] names = new String[in.readVarInt(true)];
        long[] values = new long[names.length];
        for (int i = 0; i < names.length; i++) { // in the sender's order (Counters)
            names[i] = in.readString();
            values[i] = in.readVarLong(false);
        }
        int nm = in.readVarInt(true);
        Map<Long, Tile> memory = new HashMap<>(nm * 2);
        for (int i = 0; i < nm; i++) memory.put(in.readVarLong(true), TILE.read(k, in, Tile.class));
        return new ComponentReport(id, kind, busy, Counters.of(names, values), memory);
    }

    /**
     * Shape, dtype, then the values: none (timing mode), fp32 in one run, or a weight's stored form compact
     * (bf16 2 bytes, ternary 2 bits a value), so a weight crosses JVMs in the size its bank holds it.
     */
    private static final Serializer<Tile> TILE = new Serializer<>() {
        private static final int NONE = 0, FLOATS = 1, STORED = 2;
        private final DType[] dtypes = DType.values();

        @Override
        public void write(Kryo kryo, Output out, Tile t) {
            out.writeVarInt(t.rows(), true);
            out.writeVarInt(t.cols(), true);
            out.writeVarInt(t.dtype().ordinal(), true);
            if (t.stored() != null) {
                out.writeByte(STORED);
                out.writeVarInt(t.stored().dtype().ordinal(), true);
                byte[] bytes = t.stored().compactBytes();
                out.writeVarInt(bytes.length, true);
                out.writeBytes(bytes);
            } else if (t.data() != null) {
                out.writeByte(FLOATS);
                out.writeFloats(t.data(), 0, t.data().length);
            } else {
                out.writeByte(NONE);
            }
        }

        @Override
        public Tile read(Kryo kryo, Input in, Class<? extends Tile> type) {
            int rows = in.readVarInt(true), cols = in.readVarInt(true);
            DType dtype = dtypes[in.readVarInt(true)];
            return switch (in.readByte()) {
                case NONE -> Tile.shape(rows, cols, dtype);
                case FLOATS -> new Tile(rows, cols, dtype, in.readFloats(rows * cols));
                case STORED -> {
                    DType as = dtypes[in.readVarInt(true)];
                    yield Tile.of(dtype, Stored.fromCompact(as, rows, cols, in.readBytes(in.readVarInt(true))), rows, cols);
                }
                default -> throw new com.esotericsoftware.kryo.KryoException("tile values of unknown form");
            };
        }
    };
}
