package org.meshemu.noc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.report.ComponentMeasures;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;
import org.meshemu.wire.Packet;

/**
 * An input-queued virtual-channel router ({@code hardware.noc.router: vc}), as BookSim2's
 * {@code iq} router (Dally and Towles, ch. 16): every input has {@code count} virtual channels of
 * {@code bufferFlits} flits under credit flow control; a packet of B bytes is ceil(B / flit) flits,
 * a flit being the link's bytesPerCycle. Cycle by cycle, a head flit goes through route
 * computation (routingDelay), VC allocation of an output VC (vcAllocDelay), switch allocation
 * (one flit per input and per output each cycle) and switch traversal (swAllocDelay +
 * stPrepareDelay + stFinalDelay), then the channel (link latency); body flits go straight to
 * switch allocation. A buffer slot's credit goes back upstream when its flit leaves, and an output
 * VC is free again once its tail has been sent. The local network interface is part of the
 * router: an unbounded source queue, one flit per cycle into the injection input's VCs.
 *
 * <p>Timing: a flit a router sends in cycle t enters the next router in cycle t + s + L, s =
 * swAllocDelay + stPrepareDelay + stFinalDelay, L the link latency; it is delivered 1 ps before that
 * cycle, so the next router's cycle sees every flit and credit of its cycle whatever the order in
 * which events of one time are handled (channels of L cycles - 1 ps). Zero-load latency of a
 * packet of F flits over h hops, from its creation at the source to the tail's delivery:
 * injection + (h + 1) (routingDelay + vcAllocDelay + s) + h L + (L + 1) + F - 1, which with
 * BookSim's defaults (1, 1, 1, 0, 1, L = 1, injection 1) is 5 (h + 1) + 2 + F - 1, BookSim's
 * formula. VC allocation offers a packet only the VCs of its next {@link VcClasses} class (a
 * torus's dateline classes, or those of chip links), so no cycle of waiting can form with finite
 * buffers. A network port may be a chip link: its latency and the time a flit holds its link are
 * the port's own; every output feeds its link from a queue, a flit per flit time, and what a
 * link delivers is due 1 ps before the first cycle at or after its arrival. With speedups the
 * switch has inputSpeedup inputs per router input and outputSpeedup per output (BookSim's
 * expanded ports).
 *
 * <p>Deterministic: every arbitration (the {@link Allocator}s' round-robin pointers, the network
 * interface's VC choice) depends only on the router's state in the cycle, never on the order of
 * arrival of events. It runs a cycle only while it holds flits or packets to inject (cost in
 * proportion to activity): one event per flit per hop, one per credit, one per busy cycle.
 */
public final class VcRouter implements Component<VcRouter.Message> {

    /** The router's protocol. */
    public sealed interface Message permits Inject, FlitIn, CreditIn, Tick {}

    /** A packet from the local endpoint. */
    public record Inject(Packet packet) implements Message {}

    /** A flit arriving on neighbour input {@code port}. */
    public record FlitIn(int port, Flit flit) implements Message {}

    /** A credit for VC {@code vc} of output {@code port}. */
    public record CreditIn(int port, int vc) implements Message {}

    /** Run cycle {@code cycle}. */
    public record Tick(long cycle) implements Message {}

    /** Flit {@code index} of a packet, on virtual channel {@code vc}. */
    public record Flit(Packet packet, int vc, int index) {}

    /** A freed buffer slot of virtual channel {@code vc}. */
    public record CreditReturn(int vc) {}

    public static final InPort<Packet, Message> IN = new InPort<>("in", Packet.class, Inject::new);

    /** Ports for neighbour directions {@code directions}: flit and credit inputs and outputs per direction, eject. */
    static Ports<Message> ports(List<String> directions) {
        List<InPort<?, Message>> ins = new ArrayList<>();
        ins.add(IN);
        List<OutPort<?>> outs = new ArrayList<>();
        int d = directions.size();
        for (int i = 0; i < d; i++) {
            final int port = i;
            ins.add(new InPort<>("from-" + directions.get(i), Flit.class, f -> new FlitIn(port, f)));
            ins.add(new InPort<>("credits-" + directions.get(i), CreditReturn.class, c -> new CreditIn(port, c.vc())));
            outs.add(new OutPort<>(i, directions.get(i), Flit.class));
        }
        outs.add(new OutPort<>(d, "eject", Packet.class));
        for (int i = 0; i < d; i++) outs.add(new OutPort<>(d + 1 + i, "credit-" + directions.get(i), CreditReturn.class));
        return new Ports<>(ins, outs);
    }

    private static final int IDLE = 0, ROUTING = 1, VC_ALLOC = 2, ACTIVE = 3;

    private final transient int node;
    private final transient Routing routing;
    private final transient Ports<Message> ports;
    private final transient OutPort<Flit>[] flitOut;
    private final transient OutPort<Packet> eject;
    private final transient OutPort<CreditReturn>[] creditOut;
    private final transient long cyclePs;
    private final transient int flitBytes, vcs, bufferFlits, neighbours, local, inputSpeedup, outputSpeedup;
    private final transient VcPipeline pipe;
    /** The VC classes that keep cyclic routes deadlock-free, and the class of each VC. */
    private final transient VcClasses classes;
    private final transient int[] classOfVc;
    /** Per neighbour port: its link's latency and how long one flit holds it (a cycle on chip). */
    private final transient long[] latencyPs, flitPs;
    /** Per neighbour port: the report's label of its link, null where no link leaves. */
    private final transient String[] linkLabels;

    // Input side, by input port * vcs + vc (port `local` is the network interface's). Each input VC's
    // buffer is a ring of bufferFlits flits in one array (credits keep it from overflowing): slot s's
    // flits are at s * bufferFlits + (head[s] + i) % bufferFlits, held[s] of them.
    private final Flit[] flits;
    private final int[] head, held;
    private final int[] state, outPort, outVc;
    private final long[] ready;
    // flits in the input buffers; input VCs in route computation, waiting for an output VC, holding one
    // (the cycle skips its scan for route computation, VC allocation or switch allocation when the count of that stage is 0)
    private int buffered, routeComputing, vcAllocating, active;
    // Output side, by output port * vcs + vc (port `local` ejects).
    private final int[] owner, credits;
    /** Per output (the last ejects): when its link is free for the next flit of its queue. */
    private final long[] freePs;
    // The network interface.
    private final ArrayDeque<Packet> sourceQueue = new ArrayDeque<>();
    private Packet injecting;
    private int injectVc, injectNext, injectPointer;
    private final boolean[] injectInUse;
    private final int[] injectCredits;
    private final Allocator vcAllocator, switchAllocator;
    private final int[] switchVcPointer;
    private final int[][] candidate;
    private long scheduled = Long.MIN_VALUE, lastCycle = Long.MIN_VALUE / 2;
    private long flitsOut, packetsOut, busyCycles;
    /** Per neighbour port: flits and bytes sent on its link. */
    private final long[] linkFlits, linkBytes;

    /**
     * {@code neighbours} network ports (then the local one); per port the latency of its links
     * both ways and the time a flit holds its outgoing link ({@code cyclePs} for a link of the
     * flit's width) and the report's label of its link (null where none leaves).
     */
    @SuppressWarnings("unchecked")
    VcRouter(int node, Routing routing, Ports<Message> ports, int neighbours, VcClasses classes, long[] latencyPs, long[] flitPs,
             String[] linkLabels, long cyclePs, int flitBytes, VcSpec vc) {
        this.node = node;
        this.routing = routing;
        this.ports = ports;
        this.neighbours = neighbours;
        this.local = neighbours;
        this.classes = classes;
        this.latencyPs = latencyPs;
        this.flitPs = flitPs;
        this.linkLabels = linkLabels;
        this.linkFlits = new long[neighbours];
        this.linkBytes = new long[neighbours];
        this.freePs = new long[neighbours + 1];
        this.cyclePs = cyclePs;
        this.flitBytes = flitBytes;
        this.vcs = vc.count();
        this.bufferFlits = vc.bufferFlits();
        this.pipe = vc.pipeline();
        this.classOfVc = new int[vcs];
        for (int v = 0; v < vcs; v++) classOfVc[v] = ((v + 1) * classes.count() - 1) / vcs;
        List<OutPort<?>> outs = ports.outputs();
        this.flitOut = outs.subList(0, neighbours).toArray(OutPort[]::new);
        this.eject = (OutPort<Packet>) outs.get(neighbours);
        this.creditOut = outs.subList(neighbours + 1, outs.size()).toArray(OutPort[]::new);
        int slots = (neighbours + 1) * vcs;
        flits = new Flit[slots * bufferFlits];
        head = new int[slots];
        held = new int[slots];
        state = new int[slots];
        outPort = new int[slots];
        outVc = new int[slots];
        ready = new long[slots];
        owner = new int[slots];
        credits = new int[slots];
        java.util.Arrays.fill(owner, -1);
        java.util.Arrays.fill(credits, bufferFlits);
        injectInUse = new boolean[vcs];
        injectCredits = new int[vcs];
        java.util.Arrays.fill(injectCredits, bufferFlits);
        Allocator.Factory allocators = Allocator.REGISTRY.named(vc.allocator());
        vcAllocator = allocators.create(slots, slots, vc.iterations());
        this.inputSpeedup = vc.inputSpeedup();
        this.outputSpeedup = vc.outputSpeedup();
        switchAllocator = allocators.create((neighbours + 1) * inputSpeedup, (neighbours + 1) * outputSpeedup, vc.iterations());
        switchVcPointer = new int[(neighbours + 1) * inputSpeedup];
        for (int i = 0; i < switchVcPointer.length; i++) switchVcPointer[i] = i % inputSpeedup;
        candidate = new int[switchVcPointer.length][(neighbours + 1) * outputSpeedup];
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Inject i -> {
                sourceQueue.add(i.packet());
                wake(ctx);
            }
            case FlitIn f -> {
                int slot = f.port() * vcs + f.flit().vc();
                enqueue(slot, f.flit());
                if (held[slot] == 1 && state[slot] == IDLE) startRouting(slot, Math.max(cycleOf(ctx.now()), lastCycle + 1));
                wake(ctx);
            }
            case CreditIn c -> credits[c.port() * vcs + c.vc()]++;
            case Tick t -> {
                if (t.cycle() != scheduled) break; // superseded by an earlier tick
                scheduled = Long.MIN_VALUE;
                lastCycle = t.cycle();
                cycle(t.cycle(), ctx);
                assert stageCountsAgree() : "router " + node + ": its stage counts disagree with its input VCs' states";
                if (holdsWork()) schedule(t.cycle() + 1, ctx);
            }
        }
    }

    /** The cycle an event of time {@code ps} is seen in: events come 1 ps before their cycle. */
    private long cycleOf(long ps) { return Math.ceilDiv(ps, cyclePs); }

    /** Runs the cycle of now, or the next one if that has run already (an event not 1 ps before its cycle). */
    private void wake(Context<Message> ctx) { schedule(Math.max(cycleOf(ctx.now()), lastCycle + 1), ctx); }

    private void schedule(long cycle, Context<Message> ctx) {
        if (scheduled != Long.MIN_VALUE && scheduled <= cycle) return;
        scheduled = cycle;
        ctx.schedule(new Tick(cycle), cycle * cyclePs - ctx.now());
    }

    /** Whether the counts of input VCs per stage match their states (the tests run with assertions on: a count too high only slows the scans, one too low changes the results). */
    private boolean stageCountsAgree() {
        int computing = 0, allocating = 0, holding = 0;
        for (int s : state) {
            if (s == ROUTING) computing++;
            else if (s == VC_ALLOC) allocating++;
            else if (s == ACTIVE) holding++;
        }
        return computing == routeComputing && allocating == vcAllocating && holding == active;
    }

    private boolean holdsWork() {
        return injecting != null || !sourceQueue.isEmpty() || buffered > 0;
    }

    private void enqueue(int slot, Flit flit) {
        if (held[slot] == bufferFlits) throw new IllegalStateException("router " + node + ": a flit beyond its VC's credits");
        int at = head[slot] + held[slot];
        flits[slot * bufferFlits + (at < bufferFlits ? at : at - bufferFlits)] = flit;
        held[slot]++;
        buffered++;
    }

    private Flit front(int slot) { return flits[slot * bufferFlits + head[slot]]; }

    private Flit dequeue(int slot) {
        int at = slot * bufferFlits + head[slot];
        Flit flit = flits[at];
        flits[at] = null;
        head[slot] = head[slot] + 1 == bufferFlits ? 0 : head[slot] + 1;
        held[slot]--;
        buffered--;
        return flit;
    }

    private void startRouting(int slot, long cycle) {
        state[slot] = ROUTING;
        routeComputing++;
        ready[slot] = cycle + pipe.routingDelay();
    }

    private int flits(Packet p) { return (int) Math.ceilDiv(p.bytes(), (long) flitBytes); }

    private void cycle(long t, Context<Message> ctx) {
        busyCycles++;
        injectOne(t);
        for (int slot = 0; routeComputing > 0 && slot < state.length; slot++) {
            if (state[slot] == ROUTING && ready[slot] <= t) {
                int direction = routing.route(node, front(slot).packet().destination());
                outPort[slot] = direction == Routing.EJECT ? local : direction;
                state[slot] = VC_ALLOC;
                routeComputing--;
                vcAllocating++;
            }
        }
        allocateVcs(t);
        allocateSwitch(t, ctx);
    }

    /** The network interface puts one flit a cycle into its VC of the injection input. */
    private void injectOne(long t) {
        if (injecting == null && !sourceQueue.isEmpty()) {
            int v = -1; // the first free VC from the pointer, cyclically
            for (int k = 0, c = injectPointer; k < vcs && v < 0; k++, c = c + 1 == vcs ? 0 : c + 1) if (!injectInUse[c]) v = c;
            if (v >= 0) {
                injecting = sourceQueue.poll();
                injectVc = v;
                injectNext = 0;
                injectInUse[v] = true;
                injectPointer = (v + 1) % vcs;
            }
        }
        if (injecting == null || injectCredits[injectVc] == 0) return;
        int slot = local * vcs + injectVc;
        enqueue(slot, new Flit(injecting, injectVc, injectNext));
        injectCredits[injectVc]--;
        if (held[slot] == 1 && state[slot] == IDLE) startRouting(slot, t);
        if (++injectNext == flits(injecting)) {
            injectInUse[injectVc] = false;
            injecting = null;
        }
    }

    /** The class of VCs a packet on input slot {@code slot} may take at output {@code out} (its next class), -1 for any (ejection). */
    private int allowedClass(int slot, int out) {
        if (out == local) return -1;
        int in = slot / vcs;
        return in == local ? classes.next(-1, 0, out) : classes.next(in, classOfVc[slot % vcs], out);
    }

    /** The time just before the cycle that sees what reaches a router at {@code ps} (the cycle's own events come 1 ps early). */
    private long seenAt(long ps) { return Math.ceilDiv(ps, cyclePs) * cyclePs - 1; }

    private void allocateVcs(long t) {
        if (vcAllocating == 0) return;
        vcAllocator.clear();
        for (int slot = 0; slot < state.length; slot++) {
            if (state[slot] != VC_ALLOC) continue;
            int base = outPort[slot] * vcs, allowed = allowedClass(slot, outPort[slot]);
            for (int v = 0; v < vcs; v++) {
                if (owner[base + v] < 0 && (allowed < 0 || classOfVc[v] == allowed)) vcAllocator.request(slot, base + v);
            }
        }
        vcAllocator.allocate();
        for (int k = 0; k < vcAllocator.granted(); k++) {
            int slot = vcAllocator.grantedRequester(k), ov = vcAllocator.grant[slot];
            vcAllocating--;
            owner[ov] = slot;
            outVc[slot] = ov % vcs;
            state[slot] = ACTIVE;
            active++;
            ready[slot] = t + pipe.vcAllocDelay();
        }
    }

    /**
     * Switch allocation over switch inputs in * inputSpeedup + v mod inputSpeedup and switch outputs
     * out * outputSpeedup + in mod outputSpeedup (BookSim's expanded ports): each switch input and
     * output passes one flit a cycle. A granted flit leaves the switch traversal cycles later into
     * its output's queue, which feeds the link a flit per flit time (the eject channel a flit a
     * cycle), in the order of the switch inputs.
     */
    private void allocateSwitch(long t, Context<Message> ctx) {
        if (active == 0) return;
        long traversal = pipe.swAllocDelay() + pipe.stPrepareDelay() + pipe.stFinalDelay();
        long departPs = (t + traversal) * cyclePs;
        switchAllocator.clear();
        boolean any = false;
        for (int in = 0; in <= neighbours; in++) {
            for (int j = 0; j < inputSpeedup; j++) {
                int switchIn = in * inputSpeedup + j;
                java.util.Arrays.fill(candidate[switchIn], -1);
                for (int k = 0, v = switchVcPointer[switchIn] % vcs; k < vcs; k++, v = v + 1 == vcs ? 0 : v + 1) { // a pointer may start at vcs or more (input speedup > VCs)
                    int slot = in * vcs + v;
                    if (state[slot] != ACTIVE || ready[slot] > t || held[slot] == 0 || inputSpeedup > 1 && v % inputSpeedup != j) continue;
                    int out = outPort[slot];
                    if (out != local && credits[out * vcs + outVc[slot]] == 0) continue;
                    int switchOut = out * outputSpeedup + in % outputSpeedup;
                    if (candidate[switchIn][switchOut] < 0) {
                        candidate[switchIn][switchOut] = v;
                        switchAllocator.request(switchIn, switchOut);
                        any = true;
                    }
                }
            }
        }
        if (!any) return;
        switchAllocator.allocate();
        for (int switchIn = 0; switchIn < candidate.length; switchIn++) {
            int switchOut = switchAllocator.grant[switchIn];
            if (switchOut < 0) continue;
            int in = switchIn / inputSpeedup, out = switchOut / outputSpeedup;
            int v = candidate[switchIn][switchOut], slot = in * vcs + v;
            switchVcPointer[switchIn] = (v + inputSpeedup) % vcs;
            Flit flit = dequeue(slot);
            boolean tail = flit.index() == flits(flit.packet()) - 1;
            long start = Math.max(departPs, freePs[out]);
            if (out == local) {
                freePs[out] = start + cyclePs;
                if (tail) ctx.send(eject, flit.packet(), start - ctx.now() + ctx.latencyPs(eject));
            } else {
                credits[out * vcs + outVc[slot]]--;
                freePs[out] = start + flitPs[out];
                linkFlits[out]++;
                linkBytes[out] += tail ? flit.packet().bytes() - (long) flit.index() * flitBytes : flitBytes;
                ctx.send(flitOut[out], new Flit(flit.packet(), outVc[slot], flit.index()), seenAt(start + latencyPs[out]) - ctx.now());
            }
            flitsOut++;
            if (in == local) injectCredits[v]++;
            else ctx.send(creditOut[in], new CreditReturn(v), seenAt((t + pipe.creditDelay()) * cyclePs + latencyPs[in]) - ctx.now());
            if (tail) {
                packetsOut++;
                owner[out * vcs + outVc[slot]] = -1;
                state[slot] = IDLE;
                active--;
                if (held[slot] > 0) startRouting(slot, t + 1);
            }
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        if (holdsWork()) throw new IllegalStateException("router " + node + ": flits still wait at the end: the network deadlocked");
        Map<String, Long> counters = new java.util.TreeMap<>(Map.of("packets", packetsOut, "flits", flitsOut, "busyCycles", busyCycles));
        for (int p = 0; p < neighbours; p++) {
            if (linkLabels[p] == null) continue;
            counters.put(LINK_BUSY_PS + linkLabels[p], linkFlits[p] * flitPs[p]);
            counters.put(LINK_BYTES + linkLabels[p], linkBytes[p]);
        }
        return ComponentReport.of("router", 0, counters, Map.of());
    }

    /** Report counters, followed by a link's label: the time its link was busy (a flit time per flit), and the bytes it carried. */
    static final String LINK_BUSY_PS = "linkBusyPs:", LINK_BYTES = "linkBytes:";

    /**
     * A router's energy and traffic: those of the links it drives itself (the vc router's, defined
     * as a link component's: every byte serialised is one hop); the ideal router has none.
     */
    public static final class Measures implements ComponentMeasures {
        @Override public String name() { return "router"; }

        @Override public Energy.Part part() { return Energy.Part.LINK; }

        @Override public double dynamicPj(ComponentReport r, EnergySpec e) { return nocBytes(r) * 8.0 * e.pjPerBitHop(); }

        @Override public long nocBytes(ComponentReport r) {
            long bytes = 0;
            for (var c : r.counters().entrySet()) if (c.getKey().startsWith(LINK_BYTES)) bytes += c.getValue();
            return bytes;
        }

        @Override public Map<String, Long> drivenLinkBusyPs(ComponentReport r) {
            Map<String, Long> busy = new java.util.TreeMap<>();
            r.counters().forEach((name, ps) -> {
                if (name.startsWith(LINK_BUSY_PS)) busy.put(name.substring(LINK_BUSY_PS.length()), ps);
            });
            return busy;
        }
    }
}
