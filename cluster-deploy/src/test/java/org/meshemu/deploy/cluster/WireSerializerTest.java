package org.meshemu.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.Event;
import org.meshemu.kernel.NodeSync;
import org.meshemu.kernel.PartitionSample;
import org.meshemu.kernel.PartitionStats;
import org.meshemu.kernel.WindowRoot;
import org.meshemu.noc.Link;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.MemoryRequest;
import org.meshemu.wire.MemoryResponse;
import org.meshemu.wire.Packet;
import org.meshemu.wire.WireTypes;

/** Every message that can cross nodes survives the wire, both through byte arrays and through Artery's buffers. */
class WireSerializerTest {
    static ActorSystem<Void> system;
    static WireSerializer wire;
    static ActorRef<NodeSync.Command> sync;
    static ActorRef<WindowRoot.Command> root;
    static ActorRef<FileTransfer.SourceCommand> files;
    static ActorRef<FileTransfer.ReceiverCommand> receiver;
    static ActorRef<NodeHost.Mapped> mapped;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "wire-test");
        wire = new WireSerializer((ExtendedActorSystem) Adapter.toClassic(system));
        sync = system.systemActorOf(Behaviors.<NodeSync.Command>ignore(), "sync", org.apache.pekko.actor.typed.Props.empty());
        root = system.systemActorOf(Behaviors.<WindowRoot.Command>ignore(), "root", org.apache.pekko.actor.typed.Props.empty());
        files = system.systemActorOf(Behaviors.<FileTransfer.SourceCommand>ignore(), "files", org.apache.pekko.actor.typed.Props.empty());
        mapped = system.systemActorOf(Behaviors.<NodeHost.Mapped>ignore(), "mapped", org.apache.pekko.actor.typed.Props.empty());
        receiver = system.systemActorOf(Behaviors.<FileTransfer.ReceiverCommand>ignore(), "receiver", org.apache.pekko.actor.typed.Props.empty());
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    static final Tile DATA = Tile.fp32(2, 3, new float[] {1f, -2.5f, Float.MIN_VALUE, Float.NaN, 0f, 1e30f});

    /** One event per payload class the modules register, so a new payload class without a wire entry fails here. */
    static List<Event> events() {
        List<Object> payloads = List.of(
                new Packet(3, 7, 11, 5, 0, 2, 64, 1234, DATA),
                new Packet(3, 7, 11, 5, 1, 2, 32, 1234, null),
                new Link.Arrive(new Packet(1, 2, 0, Tile.shape(8, 8, DType.BF16)), 2, 7_000),
                new Link.Head(new Packet(1, 2, 0, Tile.shape(8, 8, DType.BF16)), 9_000),
                new Link.Credit(),
                new org.meshemu.noc.VcRouter.Flit(new Packet(1, 2, 0, Tile.shape(8, 8, DType.BF16)), 3, 1),
                new org.meshemu.noc.VcRouter.CreditReturn(5),
                new MemoryRequest.Read(1, 4096, 16, 16, DType.TERNARY),
                new MemoryRequest.Write(0, 8192, DATA),
                new MemoryResponse.ReadData(4096, Tile.shape(4, 4, DType.INT8)),
                new MemoryResponse.WriteAck(8192));
        List<Event> events = new java.util.ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) events.add(new Event(1_000L * i, i, i * 3L, 40 + i, i % 2 == 0 ? 1 : Event.SELF, payloads.get(i)));
        return events;
    }

    Object viaBytes(Object m) throws Exception {
        return wire.fromBinary(wire.toBinary(m), wire.manifest(m));
    }

    Object viaBuffer(Object m) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        buf.position(17); // Artery writes after its envelope header
        wire.toBinary(m, buf);
        buf.flip().position(17);
        Object back = wire.fromBinary(buf, wire.manifest(m));
        assertEquals(buf.limit(), buf.position(), "the whole frame is read");
        return back;
    }

    @Test
    void everyPayloadClassIsCovered() {
        var covered = events().stream().map(e -> e.payload().getClass()).collect(java.util.stream.Collectors.toSet());
        for (Class<?> c : WireTypes.all()) {
            if (c == Tile.class || c == DType.class) continue; // carried inside the others
            assertTrue(covered.contains(c), c.getName() + " is registered but not round-tripped here");
        }
    }

    @Test
    void batchesRoundTripWithEveryPayload() throws Exception {
        assertTrue(((NodeSync.Batch) viaBuffer(new NodeSync.Batch(1, 3, List.of(), true, 9, 8, true, 0))).checkpoint(), "the checkpoint flag travels");
        NodeSync.Batch batch = new NodeSync.Batch(2, -1, events(), true, 5000, -1, false, 0);
        for (Object back : List.of(viaBytes(batch), viaBuffer(batch))) {
            NodeSync.Batch b = (NodeSync.Batch) back;
            assertEquals(2, b.from());
            assertEquals(-1, b.epoch());
            assertTrue(b.last());
            assertEquals(List.of(5000L, -1L), List.of(b.nextPs(), b.lastPs()));
            assertTrue(b.wireBytes() > 0, "a received batch knows its size on the wire");
            assertEquals(batch.events().size(), b.events().size());
            for (int i = 0; i < b.events().size(); i++) {
                Event x = batch.events().get(i), y = b.events().get(i);
                assertEquals(x.toString(), y.toString());
                assertEquals(List.of(x.time(), (long) x.source(), x.seq(), (long) x.target(), (long) x.port()),
                        List.of(y.time(), (long) y.source(), y.seq(), (long) y.target(), (long) y.port()));
                assertEquals(x.payload(), y.payload());
                assertNotSame(x.payload(), y.payload());
            }
        }
    }

    @Test
    void protocolMessagesRoundTrip() throws Exception {
        // counts in an order neither sorted nor a hash's: the wire keeps it (sums over them must come out the same)
        ComponentReport report = new ComponentReport(9, "bank", 777,
                Counters.of(new String[] {"rowHits", "bytesRead", "activates"}, -1, 4096, 3), Map.of(64L, DATA));
        List<Object> messages = List.of(
                new NodeSync.Peers(List.of(sync, sync)),
                new WindowRoot.Hosted(3, sync),
                new WindowRoot.Started(1, 1_764_547_200_000_000L),
                new WindowRoot.Progress(1, 5, 4096, 100_000, 123_456),
                new WindowRoot.HostLost("node pekko://meshemu@127.0.0.1:1234"));
        for (Object m : messages) {
            assertEquals(m.toString(), viaBytes(m).toString(), m.getClass().getSimpleName());
            assertEquals(m.toString(), viaBuffer(m).toString(), m.getClass().getSimpleName());
        }
        NodeHost.Host host = (NodeHost.Host) viaBuffer(new NodeHost.Host("run-1", "scenarios/x.yaml", "{\"name\":\"x\"}", 4, new int[] {2, 3}, root, 250_000_000L, null, mapped));
        assertEquals(List.of("run-1", "scenarios/x.yaml", "{\"name\":\"x\"}", 4, 250_000_000L),
                List.of(host.runId(), host.source(), host.scenario(), host.partitionCount(), host.sampleNanos()));
        assertArrayEquals(new int[] {2, 3}, host.partitions());
        assertEquals(root, host.root());
        assertEquals(null, host.files());
        assertEquals(mapped, host.mapped());
        assertEquals(new NodeHost.Mapped("pekko://meshemu@127.0.0.1:2552", 5L << 32), viaBytes(new NodeHost.Mapped("pekko://meshemu@127.0.0.1:2552", 5L << 32)));
        var offer = new FileTransfer.Offer(List.of(new FileTransfer.FileInfo("model.checkpoint/config.json", 321, -7),
                new FileTransfer.FileInfo("model.checkpoint/model.safetensors", 5L << 32, 12345)), files, 1 << 20);
        assertEquals(offer, ((NodeHost.Host) viaBytes(new NodeHost.Host("run-2", "s", "{}", 1, new int[] {0}, root, 0, offer, mapped))).files());

        byte[] bytes = {1, -2, 3, 0, 127};
        var chunk = (FileTransfer.Chunk) viaBuffer(new FileTransfer.Chunk(2, 3L << 33, bytes));
        assertEquals(List.of(2L, 3L << 33), List.of((long) chunk.file(), chunk.offset()));
        assertArrayEquals(bytes, chunk.bytes());
        for (Object m : List.of(new FileTransfer.Fetch(1, 1L << 40, 4 << 20, receiver), new FileTransfer.Unreadable(0, "gone"))) {
            assertEquals(m, viaBytes(m), m.getClass().getSimpleName());
        }

        var finished = new WindowRoot.PartitionFinished(1, List.of(report), new PartitionStats(1, 9, new long[] {5, 0, 7}, 123, new long[] {400, 0, 56}, 4100, 98_765));
        var back = (WindowRoot.PartitionFinished) viaBuffer(finished);
        assertEquals(List.of(report), back.reports());
        assertEquals(List.of("rowHits", "bytesRead", "activates"), List.copyOf(back.reports().get(0).counters().keySet()));
        assertArrayEquals(new long[] {5, 0, 7}, back.stats().eventsSentTo());
        assertArrayEquals(new long[] {400, 0, 56}, back.stats().wireBytesFrom());
        assertEquals(List.of(1L, 9L, 123L, 456L, 4100L, 98_765L), List.of((long) back.stats().partition(), back.stats().epochs(),
                back.stats().batchesWaitNanos(), back.stats().wireBytesReceived(), back.stats().windows(), back.stats().events()));

        var sample = new PartitionSample(2, "pekko://meshemu@127.0.0.1:2552", 4096, 1_000_000, -1, 5_000_000_000L, new long[] {3, 0, 0},
                new long[] {0, 8, 0}, new long[] {0, 900, 0}, 12_345, List.of(new PartitionSample.Kind("core", 16, 999_999, 0),
                new PartitionSample.Kind("link", 48, 5, 1L << 40)));
        for (Object m : List.of(viaBytes(new WindowRoot.Sampled(sample)), viaBuffer(new WindowRoot.Sampled(sample)))) {
            PartitionSample s = ((WindowRoot.Sampled) m).sample();
            assertEquals(List.of(2L, 4096L, 1_000_000L, -1L, 5_000_000_000L, 12_345L),
                    List.of((long) s.partition(), s.windows(), s.events(), s.lastPs(), s.barrierWaitNanos(), s.work()));
            assertEquals(sample.node(), s.node());
            assertArrayEquals(sample.eventsSentTo(), s.eventsSentTo());
            assertArrayEquals(sample.eventsReceivedFrom(), s.eventsReceivedFrom());
            assertArrayEquals(sample.wireBytesFrom(), s.wireBytesFrom());
            assertEquals(sample.kinds(), s.kinds());
        }

        byte[] records = {0, 0, 0, 7, 0, 0, 0, 2, 42, -1};
        var part = (WindowRoot.CheckpointPart) viaBuffer(new WindowRoot.CheckpointPart(2, 11, records,
                new WindowRoot.PartitionSoFar(1000, 50, 123_456, 789)));
        assertEquals(List.of(2, 11L, new WindowRoot.PartitionSoFar(1000, 50, 123_456, 789)), List.of(part.partition(), part.epoch(), part.soFar()));
        assertArrayEquals(records, part.records());
        assertNull(((WindowRoot.CheckpointPart) viaBytes(new WindowRoot.CheckpointPart(0, 0, new byte[0], null))).soFar());

        var failed = (WindowRoot.PartitionFailed) viaBytes(new WindowRoot.PartitionFailed(2, "core (1,1): boom", new IllegalStateException("why")));
        assertEquals("core (1,1): boom", failed.message());
        assertTrue(failed.cause().getMessage().contains("IllegalStateException: why"), failed.cause().getMessage());
    }

    /** Tiles' values are copied in bulk: every bit survives (a NaN's payload too), and both paths write the same bytes, Kryo's own. */
    @Test
    void tileValuesTravelBitForBitAndBothPathsWriteKryosBytes() throws Exception {
        float[] values = new float[1027];
        for (int i = 0; i < values.length; i++) values[i] = (float) Math.sin(i) * (i + 1);
        values[3] = Float.intBitsToFloat(0x7fc0_1234); // a NaN with a payload
        values[4] = -0.0f;
        values[5] = Float.MIN_VALUE;
        Packet packet = new Packet(1, 2, 3, 4, 0, 1, 4108, 100, Tile.fp32(1, values.length, values));
        var batch = new NodeSync.Batch(0, 7, List.of(new Event(5000, 1, 2, 3, 0, packet)), true, 6000, 5000, false, 0);
        for (Object back : List.of(viaBytes(batch), viaBuffer(batch))) {
            float[] got = ((Packet) ((NodeSync.Batch) back).events().get(0).payload()).tile().data();
            for (int i = 0; i < values.length; i++) assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(got[i]), "value " + i);
        }
        byte[] array = wire.toBinary(batch);
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        wire.toBinary(batch, buf);
        byte[] buffered = new byte[buf.flip().remaining()];
        buf.get(buffered);
        assertArrayEquals(array, buffered);
        com.esotericsoftware.kryo.io.Output kryos = new com.esotericsoftware.kryo.io.Output(64, -1);
        kryos.writeFloats(new float[] {1.5f, -2f}, 0, 2);
        com.esotericsoftware.kryo.io.Output ours = new WireStreams.ArrayOutput(64, -1);
        ours.writeFloats(new float[] {1.5f, -2f}, 0, 2);
        assertArrayEquals(kryos.toBytes(), ours.toBytes(), "Kryo's format, copied in bulk");
    }

    @Test
    void anUnregisteredClassFailsNamingIt() {
        record Stray(int x) {}
        var batch = new NodeSync.Batch(0, 0, List.of(new Event(0, 0, 0, 1, 0, new Stray(1))), true, 0, 0, false, 0);
        var e2 = assertThrows(IllegalArgumentException.class, () -> wire.toBinary(batch));
        assertTrue(e2.getMessage().contains("Class is not registered: " + Stray.class.getName()), e2.getMessage());
    }

    @Test
    void aFourKibTileCostsUnderTwoPercentOnTheWire() throws Exception {
        float[] values = new float[1024];
        for (int i = 0; i < values.length; i++) values[i] = i * 0.5f;
        Packet packet = new Packet(1, 2, 3, 4, 0, 1, 4096, 100, Tile.fp32(32, 32, values));
        var batch = new NodeSync.Batch(0, 7, List.of(new Event(5000, 1, 2, 3, 0, packet)), true, 6000, 5000, false, 0);
        int bytes = wire.toBinary(batch).length;
        assertTrue(bytes >= 4096 && bytes < 4096 * 1.02, bytes + " bytes for a 4096-byte tile");
    }

    /** A weight held as stored crosses JVMs compact (bf16 2 bytes, ternary 2 bits a value) and reads back the same values. */
    @Test
    void storedWeightTilesTravelInTheirCompactForm() throws Exception {
        float[] bf16 = new float[1024], ternary = new float[1024];
        for (int i = 0; i < bf16.length; i++) {
            bf16[i] = Float.intBitsToFloat(Float.floatToRawIntBits((float) Math.sin(i) * (i + 1)) & 0xFFFF0000);
            ternary[i] = i % 3 - 1;
        }
        org.meshemu.tensor.Stored whole = org.meshemu.tensor.Stored.compact(DType.BF16, 32, 32, bf16);
        Tile[] tiles = {Tile.of(DType.FP32, whole, 32, 32), Tile.of(DType.FP32, whole.block(3, 8, 4, 16), 8, 16),
                Tile.of(DType.TERNARY, org.meshemu.tensor.Stored.compact(DType.TERNARY, 32, 32, ternary), 32, 32)};
        long[] bounds = {2048, 256, 256};
        for (int t = 0; t < tiles.length; t++) {
            Packet packet = new Packet(1, 2, 3, 4, 0, 1, 4096, 100, tiles[t]);
            var batch = new NodeSync.Batch(0, 7, List.of(new Event(5000, 1, 2, 3, 0, packet)), true, 6000, 5000, false, 0);
            for (Object back : List.of(viaBytes(batch), viaBuffer(batch))) {
                Tile got = ((Packet) ((NodeSync.Batch) back).events().get(0).payload()).tile();
                assertEquals(tiles[t], got);
                assertEquals(tiles[t].stored().dtype(), got.stored().dtype(), "still held as stored");
            }
            int bytes = wire.toBinary(batch).length;
            assertTrue(bytes < bounds[t] + 100, bytes + " bytes for " + tiles[t]);
        }
    }
}
