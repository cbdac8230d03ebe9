package org.meshemu.noc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.wire.Packet;

/**
 * A router: computes each packet's output with its {@link Routing} function and forwards it after
 * the router pipeline delay, which is the latency of every channel leaving it. Outputs 0..n-1 go
 * to the topology's links (and chip links) as {@link Link.Arrive}s naming the input the packet came
 * in on; output n ejects to the local endpoint; then one credit output per named input. It queues
 * nothing itself: the link behind each output is its FIFO output queue, and a packet counts
 * against its input's buffer until that link starts it (virtual output queues, so no head-of-line
 * blocking). Input "in" takes the local endpoint's packets (unbounded injection queue); each
 * named input one incoming link's {@link Link.Head}s. A packet's head is routed as it arrives
 * (cut-through); ejection waits for its tail.
 */
public final class Router implements Component<Router.Message> {

    /** The router's protocol. */
    public sealed interface Message permits Arrive {}

    /**
     * A packet's head entering the router on input {@code input} (-1: from the local endpoint, all of
     * it at once); its tail arrives at {@code tailPs} (at most now: it is all here). The packet's
     * {@code destination} and {@code bytes} come with it ({@link Link.Head}), so routing it never reads
     * the packet.
     */
    public record Arrive(Packet packet, int destination, long bytes, int input, long tailPs) implements Message {
        /** A packet from the local endpoint, or a test's, waiting in no router's buffer. */
        public Arrive(Packet packet, int input, long tailPs) {
            this(packet, packet.destination(), packet.bytes(), input, tailPs);
        }
    }

    public static final InPort<Packet, Message> IN = new InPort<>("in", Packet.class, p -> new Arrive(p, -1, 0));

    /** Ports of a router with link outputs named {@code outputs} and link inputs named {@code inputs}. */
    public static Ports<Message> ports(List<String> outputs, List<String> inputs) {
        List<OutPort<?>> outs = new ArrayList<>();
        for (int d = 0; d < outputs.size(); d++) outs.add(new OutPort<>(d, outputs.get(d), Link.Arrive.class));
        outs.add(new OutPort<>(outputs.size(), "eject", Packet.class));
        for (int i = 0; i < inputs.size(); i++) outs.add(new OutPort<>(outputs.size() + 1 + i, "credit-" + inputs.get(i), Link.Credit.class));
        List<InPort<?, Message>> ins = new ArrayList<>();
        ins.add(IN);
        for (int i = 0; i < inputs.size(); i++) {
            final int input = i;
            ins.add(new InPort<>(inputs.get(i), Link.Head.class,
                    h -> new Arrive(h.packet(), h.destination(), h.bytes(), input, h.tailPs())));
        }
        return new Ports<>(ins, outs);
    }

    /** Input names of a grid router: "from-D" for the link arriving from the neighbour in each output direction D. */
    static List<String> inputsFacing(List<String> outputs) {
        return outputs.stream().map(d -> "from-" + d).toList();
    }

    private static final Link.Credit CREDIT = new Link.Credit();
    private static final String[] REPORTED = {"packets"};
    private final transient int node;
    private final transient Routing routing;
    private final transient Ports<Message> ports;
    private final transient OutPort<Link.Arrive>[] links;
    private final transient OutPort<Packet> eject;
    private final transient OutPort<Link.Credit>[] credits;
    private final transient boolean returnCredits;
    private long packets;

    /** {@code returnCredits}: whether ejecting a packet returns its input buffer's credit (the outputs must be wired). */
    @SuppressWarnings("unchecked")
    public Router(int node, Routing routing, Ports<Message> ports, int linkOutputs, boolean returnCredits) {
        this.node = node;
        this.routing = routing;
        this.ports = ports;
        List<OutPort<?>> outs = ports.outputs();
        this.links = outs.subList(0, linkOutputs).toArray(OutPort[]::new);
        this.eject = (OutPort<Packet>) outs.get(linkOutputs);
        this.credits = outs.subList(linkOutputs + 1, outs.size()).toArray(OutPort[]::new);
        this.returnCredits = returnCredits;
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Arrive a -> {
                int direction = routing.route(node, a.destination());
                long tail = Math.max(ctx.now(), a.tailPs());
                if (direction == Routing.EJECT) {
                    // The endpoint gets the whole packet, once its tail is here.
                    long delay = tail - ctx.now() + ctx.latencyPs(eject);
                    ctx.send(eject, a.packet(), delay);
                    // An endpoint always takes its packets, so the buffer slot frees on ejection.
                    if (returnCredits && a.input() >= 0) ctx.send(credits[a.input()], CREDIT, delay + ctx.latencyPs(credits[a.input()]));
                } else {
                    long delay = ctx.latencyPs(links[direction]);
                    ctx.send(links[direction], new Link.Arrive(a.packet(), a.destination(), a.bytes(), a.input(), tail + delay), delay);
                }
                packets++;
            }
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("router", 0, Counters.of(REPORTED, packets), Map.of());
    }
}
