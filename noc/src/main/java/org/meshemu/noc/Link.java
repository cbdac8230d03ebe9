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
 * One direction of a NoC link. A packet of B bytes waits until the link is free (FIFO
 * contention), occupies it for ceil(B / bytesPerCycle) cycles, and reaches the next router the
 * link's latency after its last byte left: arrival = max(t, free) + serialisation + latency.
 */
public final class Link implements Component<Link.Message> {

    /** The link's protocol. */
    public sealed interface Message permits Arrive {}

    /** A packet handed to the link by its upstream router. */
    public record Arrive(Packet packet) implements Message {}

    public static final InPort<Packet, Message> IN = new InPort<>("in", Packet.class, Arrive::new);
    public static final OutPort<Packet> OUT = new OutPort<>(0, "out", Packet.class);
    public static final Ports<Message> PORTS = new Ports<>(List.of(IN), List.of(OUT));

    private final int bytesPerCycle;
    private final long cyclePs;
    private long freePs;
    private long busyPs;
    private long bytes;
    private long packets;

    public Link(int bytesPerCycle, long cyclePs) {
        if (bytesPerCycle < 1) throw new IllegalArgumentException("bytesPerCycle must be >= 1, got " + bytesPerCycle);
        this.bytesPerCycle = bytesPerCycle;
        this.cyclePs = cyclePs;
    }

    @Override public Ports<Message> ports() { return PORTS; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Arrive a -> {
                long start = Math.max(ctx.now(), freePs);
                long serialisation = Time.ceilDiv(a.packet().bytes(), bytesPerCycle) * cyclePs;
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
