package org.meshemu.tests.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.meshemu.deploy.cluster.WireSerializer;
import org.meshemu.kernel.Event;
import org.meshemu.kernel.NodeSync;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.Packet;

/**
 * The wire format's throughput on batches of 4 KiB fp32 tiles (one per packet event), into and out
 * of a direct buffer as Artery hands it, beside its baseline measured in the same run: copying the
 * same values into and out of the buffer with no format at all. Prints one JSON line.
 * Usage: WireBench [SECONDS per measurement, default 3]
 */
public final class WireBench {
    private WireBench() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "wire-bench");
        try {
            WireSerializer wire = new WireSerializer((ExtendedActorSystem) Adapter.toClassic(system));
            int tiles = 256;
            List<Event> events = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            for (int i = 0; i < tiles; i++) {
                float[] v = new float[1024];
                for (int j = 0; j < v.length; j++) v[j] = i + j * 1e-3f;
                values.add(v);
                events.add(new Event(1000L * i, i, i, 5000 + i, 0, new Packet(i, i + 1, 3, i, 0, 1, 4096, 10L * i, Tile.fp32(32, 32, v))));
            }
            NodeSync.Batch batch = new NodeSync.Batch(0, 12, events, true, 99_000, 98_000, false, 0);
            long payload = 4096L * tiles;
            ByteBuffer buf = ByteBuffer.allocateDirect(2 * (int) payload);
            wire.toBinary(batch, buf);
            int frame = buf.position();

            double write = rate(seconds, () -> { buf.clear(); wire.toBinary(batch, buf); });
            double read = rate(seconds, () -> {
                buf.flip();
                try {
                    wire.fromBinary(buf, "");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                buf.limit(buf.capacity()).position(frame);
            });
            buf.clear();
            wire.toBinary(batch, buf);
            double copyOut = rate(seconds, () -> { buf.clear(); for (float[] v : values) buf.asFloatBuffer().put(v); });
            double copyIn = rate(seconds, () -> {
                buf.clear();
                for (int i = 0; i < tiles; i++) { float[] v = new float[1024]; buf.position(i * 4096); buf.asFloatBuffer().get(v); }
            });
            System.out.printf(Locale.ROOT, "{\"bench\": \"wire\", \"tiles\": %d, \"tileBytes\": 4096, \"frameBytes\": %d, \"overheadPercent\": %.3f, "
                            + "\"serialiseMBps\": %.0f, \"deserialiseMBps\": %.0f, \"baselineCopyOutMBps\": %.0f, \"baselineCopyInMBps\": %.0f}%n",
                    tiles, frame, 100.0 * (frame - payload) / payload, write * payload / 1e6, read * payload / 1e6,
                    copyOut * payload / 1e6, copyIn * payload / 1e6);
        } finally {
            system.terminate();
        }
    }

    /** Repetitions per second of {@code body}, after a warm-up of the same length. */
    private static double rate(double seconds, Runnable body) {
        for (int pass = 0; ; pass++) {
            long start = System.nanoTime(), n = 0;
            while (System.nanoTime() - start < seconds * 1e9) { body.run(); n++; }
            if (pass == 1) return n / ((System.nanoTime() - start) / 1e9);
        }
    }
}
