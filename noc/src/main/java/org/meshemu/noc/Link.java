package org.meshemu.noc;

import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.kernel.Time;
import org.meshemu.wire.Packet;

/**
 * One direction of a NoC or chip-to-chip link. A packet of B bytes waits until the link is free
 * (FIFO contention), occupies it for its serialisation time ({@link Rate}), and reaches the next
 * router the link's latency after its last byte left: arrival = max(t, free) + serialisation +
 * latency. Buffers are unbounded (no credits): a busy link queues, it never refuses.
 */
public final class Link implements Component<Link.Message> {

    /** The link's protocol. */
    public sealed interface Message permits Arrive {}

    /** A packet handed to the link by its upstream router. */
    public record Arrive(Packet packet) implements Message {}

    public static final InPort<Packet, Message> IN = new InPort<>("in", Packet.class, Arrive::new);
    public static final OutPort<Packet> OUT = new OutPort<>(0, "out", Packet.class);
    public static final Ports<Message> PORTS = new Ports<>(List.of(IN), List.of(OUT));

    /** How long a packet occupies the link. */
    public sealed interface Rate permits PerCycle, GBps {
        long serialisationPs(long bytes);
    }

    /** An on-chip link: ceil(B / bytesPerCycle) whole cycles of {@code cyclePs}. */
    public record PerCycle(int bytesPerCycle, long cyclePs) implements Rate {
        public PerCycle {
            if (bytesPerCycle < 1) throw new IllegalArgumentException("bytesPerCycle must be >= 1, got " + bytesPerCycle);
            if (cyclePs < 1) throw new IllegalArgumentException("cyclePs must be >= 1, got " + cyclePs);
        }

        @Override public long serialisationPs(long bytes) { return Time.ceilDiv(bytes, bytesPerCycle) * cyclePs; }
    }

    /** A link rated in GB/s (given in thousandths, so 12.5 GB/s is exact): ceil(B / rate) picoseconds. */
    public record GBps(long milliGBps) implements Rate {
        public GBps {
            if (milliGBps < 1) throw new IllegalArgumentException("bandwidth must be >= 0.001 GB/s, got " + milliGBps + "/1000");
        }

        @Override public long serialisationPs(long bytes) { return Time.ceilDiv(Math.multiplyExact(bytes, 1_000_000L), milliGBps); }
    }

    private final Rate rate;
    private long freePs;
    private long busyPs;
    private long bytes;
    private long packets;

    public Link(Rate rate) {
        this.rate = java.util.Objects.requireNonNull(rate, "rate");
    }

    /** An on-chip link of {@code bytesPerCycle} at a clock of period {@code cyclePs}. */
    public Link(int bytesPerCycle, long cyclePs) {
        this(new PerCycle(bytesPerCycle, cyclePs));
    }

    @Override public Ports<Message> ports() { return PORTS; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Arrive a -> {
                long start = Math.max(ctx.now(), freePs);
                long serialisation = rate.serialisationPs(a.packet().bytes());
                freePs = start + serialisation;
                ctx.send(OUT, a.packet(), freePs + ctx.latencyPs(OUT) - ctx.now());
                busyPs += serialisation;
                bytes += a.packet().bytes();
                packets++;
            }
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("link", busyPs, Map.of("bytes", bytes, "packets", packets), Map.of());
    }
}
