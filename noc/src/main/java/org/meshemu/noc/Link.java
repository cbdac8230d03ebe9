package org.meshemu.noc;

import java.util.ArrayDeque;
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
import org.meshemu.kernel.Time;
import org.meshemu.report.ComponentMeasures;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;
import org.meshemu.wire.Packet;

/**
 * One direction of a NoC or chip-to-chip link, with the output queue of the router in front of
 * it. A packet of B bytes waits until the link is free (FIFO), occupies it for its serialisation
 * time ({@link Rate}), and reaches the far end the link's latency after its last byte left:
 * arrival = max(t, free) + serialisation + latency. With cut-through ({@link FlowControl}) the
 * packet's head (one flit) reaches the far router ser(flit) + latency after the start, and the
 * link is held until the tail has crossed: end = max(start + ser(B), tail + ser(flit)), where
 * tail is when the packet's last byte was at the link's input; the far router is told both times
 * ({@link Head}), so a packet costs one event here whatever its size.
 *
 * <p>With credit-based flow control ({@code credits} > 0, the input buffer of the router it
 * feeds, in packets) a packet also needs a credit to start; the far router's buffer slot comes back
 * as a {@link Credit} once the packet has left that buffer. In turn, when this link starts a packet
 * it returns the credit of the buffer the packet waited in, at the router in front of it
 * ({@link Hop#input()}), through output {@code credit-<input>}. With credits = 0 the queue is
 * unbounded and no credits flow.
 */
public final class Link implements Component<Link.Message> {
    /** Report counter: bytes serialised on the link. */
    public static final String BYTES = "bytes";
    private static final String[] REPORTED = {BYTES, "packets", "creditStalls"};


    /** The link's protocol. */
    public sealed interface Message permits Arrive, CreditBack {}

    /**
     * A packet handed to the link; {@code input}: the router input buffer it waits in, or -1 (none:
     * from an endpoint); {@code tailPs}: when its last byte is here (at most now: all of it is). A
     * router sends it as it is (port {@link #HOP}): one object per hop, not a second one to adapt.
     *
     * <p>The packet's {@code destination} and {@code bytes}, all a hop needs of it, ride beside it
     * here and in {@link Head}: a link or router never reads the packet itself, which was made at its
     * source many hops ago and is a cache miss wherever it is read (docs/PERFORMANCE.md, "A hop
     * without its packet").
     */
    public record Arrive(Packet packet, int destination, long bytes, int input, long tailPs) implements Message {
        /** A packet from an endpoint, or a test's, waiting in no router's buffer. */
        public Arrive(Packet packet, int input, long tailPs) {
            this(packet, packet.destination(), packet.bytes(), input, tailPs);
        }
    }

    /** A slot of the downstream buffer is free again. */
    public record CreditBack() implements Message {}

    /**
     * A packet's head reaching a router; its tail arrives at {@code tailPs} (the same time when stored
     * and forwarded). With the packet's destination and size, as {@link Arrive}.
     */
    public record Head(Packet packet, int destination, long bytes, long tailPs) {
        /** The head of {@code packet}, its tail at {@code tailPs}. */
        public Head(Packet packet, long tailPs) {
            this(packet, packet.destination(), packet.bytes(), tailPs);
        }
    }

    /** One buffer slot returned to the link that filled it. */
    public record Credit() {}

    private static final Credit CREDIT = new Credit();
    private static final CreditBack CREDIT_BACK = new CreditBack();
    public static final InPort<Packet, Message> IN = new InPort<>("in", Packet.class, p -> new Arrive(p, -1, 0));
    public static final InPort<Arrive, Message> HOP = new InPort<>("hop", Arrive.class, a -> a);
    public static final InPort<Credit, Message> CREDIT_IN = new InPort<>("credit", Credit.class, c -> CREDIT_BACK);
    /** A link into an endpoint (or a test's recorder), without credits to return. */
    public static final Ports<Message> PORTS = intoEndpoint(List.of());

    /**
     * Ports of a link into a router (its heads go out as {@link Head}s) behind a router with the
     * named inputs: one credit output per input.
     */
    public static Ports<Message> ports(List<String> routerInputs) {
        return ports(Head.class, routerInputs);
    }

    /** Ports of a link into an endpoint, which is handed whole packets once their tail has arrived. */
    public static Ports<Message> intoEndpoint(List<String> routerInputs) {
        return ports(Packet.class, routerInputs);
    }

    private static Ports<Message> ports(Class<?> delivers, List<String> routerInputs) {
        List<OutPort<?>> outs = new ArrayList<>();
        outs.add(new OutPort<>(0, "out", delivers));
        for (int i = 0; i < routerInputs.size(); i++) outs.add(new OutPort<>(1 + i, "credit-" + routerInputs.get(i), Credit.class));
        return new Ports<>(List.of(IN, HOP, CREDIT_IN), outs);
    }

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

    private final transient Rate rate;
    private final transient FlowControl flow;
    private final transient int flitBytes;
    private final transient Ports<Message> ports;
    private final transient OutPort<Object> out;
    private final transient boolean intoRouter;
    private final transient boolean limited;
    private final transient boolean returnCredits;
    private ArrayDeque<Arrive> waiting; // packets waiting for credits, made when the first one waits (most links never wait)
    private int credits;
    private long freePs;
    private long busyPs;
    private long bytes;
    private long packets;
    private long creditStalls;

    /**
     * {@code flow}, {@code flitBytes}: how the packet's head is cut ({@link FlowControl});
     * {@code credits}: slots of the downstream buffer (0: unbounded, no flow control);
     * {@code ports}: from {@link #ports(List)} or {@link #intoEndpoint(List)}; {@code returnCredits}:
     * whether to return the credits of the upstream buffers packets leave (their outputs must then
     * be wired).
     */
    @SuppressWarnings("unchecked")
    public Link(Rate rate, FlowControl flow, int flitBytes, int credits, Ports<Message> ports, boolean returnCredits) {
        if (credits < 0) throw new IllegalArgumentException("credits must be >= 0, got " + credits);
        if (flitBytes < 1) throw new IllegalArgumentException("flitBytes must be >= 1, got " + flitBytes);
        this.rate = java.util.Objects.requireNonNull(rate, "rate");
        this.flow = java.util.Objects.requireNonNull(flow, "flow");
        this.flitBytes = flitBytes;
        this.ports = ports;
        this.out = (OutPort<Object>) ports.outputs().get(0);
        this.intoRouter = ports.outputs().get(0).type() == Head.class;
        this.limited = credits > 0;
        this.credits = credits;
        this.returnCredits = returnCredits;
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Arrive a -> {
                if (limited && credits == 0) creditStalls++;
                // packets leave in arrival order: one waits only behind others or for a credit
                if ((waiting == null || waiting.isEmpty()) && mayTransmit()) {
                    transmit(a, ctx);
                    return;
                }
                if (waiting == null) waiting = new ArrayDeque<>();
                waiting.add(a);
            }
            case CreditBack c -> credits++;
        }
        while (waiting != null && !waiting.isEmpty() && mayTransmit()) transmit(waiting.poll(), ctx);
    }

    /** Whether a packet may leave now: the link takes no credits, or holds one. */
    private boolean mayTransmit() { return !limited || credits > 0; }

    private void transmit(Arrive a, Context<Message> ctx) {
        if (limited) credits--;
        long now = ctx.now();
        long bytes = a.bytes();
        long start = Math.max(now, freePs);
        long headSer = rate.serialisationPs(flow.headBytes(bytes, flitBytes));
        // The tail cannot leave before it has arrived: a slower link upstream stretches this one.
        long end = Math.max(start + rate.serialisationPs(bytes), a.tailPs() + headSer);
        freePs = end;
        long latency = ctx.latencyPs(out);
        if (intoRouter) ctx.send(out, new Head(a.packet(), a.destination(), bytes, end + latency), start + headSer + latency - now);
        else ctx.send(out, a.packet(), end + latency - now);
        if (returnCredits && a.input() >= 0) {
            // The packet leaves the buffer it waited in at the router in front: as this link starts
            // it, or (cut-through) once its tail has left.
            @SuppressWarnings("unchecked")
            OutPort<Credit> back = (OutPort<Credit>) ports.outputs().get(1 + a.input());
            ctx.send(back, CREDIT, (flow.freesAtTail() ? end : start) - now + ctx.latencyPs(back));
        }
        busyPs += end - start;
        ctx.traceSlice("transfer", start, end);
        this.bytes += bytes;
        packets++;
    }

    @Override
    public long busyPsSoFar() { return busyPs; }

    @Override
    public long bytesSoFar() { return bytes; }

    @Override
    public ComponentReport report(long endPs) {
        if (waiting != null && !waiting.isEmpty()) {
            throw new IllegalStateException(waiting.size() + " packets still wait for credits: the network deadlocked"
                    + " (finite buffers and a cyclic route, e.g. a torus or chips without virtual channels)");
        }
        return ComponentReport.of("link", busyPs, Counters.of(REPORTED, bytes, packets, creditStalls), Map.of());
    }

    /** A link's energy and traffic: every byte it serialised is one hop. */
    public static final class Measures implements ComponentMeasures {
        @Override public String name() { return "link"; }

        @Override public Energy.Part part() { return Energy.Part.LINK; }

        @Override public double dynamicPj(ComponentReport r, EnergySpec e) { return r.counter(BYTES) * 8.0 * e.pjPerBitHop(); }

        @Override public long nocBytes(ComponentReport r) { return r.counter(BYTES); }
    }
}
