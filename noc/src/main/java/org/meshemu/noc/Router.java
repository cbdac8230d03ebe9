package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.wire.Packet;

/**
 * A router: computes each packet's output with its {@link Routing} function and forwards it after
 * the router pipeline delay, which is the latency of every channel leaving it. Outputs 0..n-1 go
 * to the topology's links (and chip links), the last one ejects to the local endpoint. It queues
 * nothing itself: the link behind each output is its unbounded FIFO output queue.
 */
public final class Router implements Component<Router.Message> {

    /** The router's protocol. */
    public sealed interface Message permits Arrive {}

    /** A packet entering the router from a link or from the local core. */
    public record Arrive(Packet packet) implements Message {}

    public static final InPort<Packet, Message> IN = new InPort<>("in", Packet.class, Arrive::new);

    /** Ports of a router with {@code directions} link outputs followed by the eject port. */
    public static Ports<Message> ports(int directions, List<String> names) {
        List<OutPort<?>> outs = new ArrayList<>();
        for (int d = 0; d < directions; d++) outs.add(new OutPort<>(d, names.get(d), Packet.class));
        outs.add(new OutPort<>(directions, "eject", Packet.class));
        return new Ports<>(List.of(IN), outs);
    }

    private final int node;
    private final Routing routing;
    private final Ports<Message> ports;
    @SuppressWarnings("unchecked")
    private final OutPort<Packet>[] outs;
    private long packets;

    @SuppressWarnings("unchecked")
    public Router(int node, Routing routing, Ports<Message> ports) {
        this.node = node;
        this.routing = routing;
        this.ports = ports;
        this.outs = ports.outputs().toArray(OutPort[]::new);
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Arrive a -> {
                int direction = routing.route(node, a.packet().destination());
                OutPort<Packet> out = outs[direction == Routing.EJECT ? outs.length - 1 : direction];
                ctx.send(out, a.packet(), ctx.latencyPs(out));
                packets++;
            }
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("router", 0, Map.of("packets", packets), Map.of());
    }
}
