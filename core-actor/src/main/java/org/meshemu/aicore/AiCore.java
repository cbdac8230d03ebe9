package org.meshemu.aicore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.report.ComponentMeasures;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;
import org.meshemu.tensor.DType;
import org.meshemu.tensor.Tile;
import org.meshemu.wire.MemoryRequest;
import org.meshemu.wire.MemoryResponse;
import org.meshemu.wire.Packet;
import org.meshemu.wire.Reassembly;

/**
 * An AI core executing a {@link Program} one instruction at a time. It has one network port to its
 * router and one memory port per attached bank. Compute instructions finish after their
 * {@link CoreTiming} cost; loads, stores and receives wait for their data; sends hand the tile to
 * the network interface and go on.
 */
public final class AiCore implements Component<AiCore.Message> {

    /** The core's protocol. */
    public sealed interface Message permits Arrived, MemoryReply, Wake {}

    /** A packet delivered by the NoC, or a whole message the core sent to itself. */
    public record Arrived(Packet packet) implements Message {}

    /** A bank answered a load or a store. */
    public record MemoryReply(MemoryResponse response) implements Message {}

    /** The instruction in progress has finished. */
    public record Wake() implements Message {}

    private static final Wake WAKE = new Wake();
    /** Report counter prefix: matrix-unit flops by operand dtype, e.g. "flops.fp32". */
    public static final String FLOPS = "flops.";
    /** Report counter: elements the vector unit processed. */
    public static final String VECTOR_ELEMENTS = "vectorElements";
    /** A report's counters before its marks and flops. */
    private static final String[] REPORTED = {"instructions", VECTOR_ELEMENTS, "bytesSent", "messagesSent", "haltPs"};
    /** The flops counter of each dtype, by ordinal: one shared names array each. */
    private static final String[][] FLOPS_BY_DTYPE = java.util.Arrays.stream(DType.values()).map(t -> new String[] {FLOPS + t.key()})
            .toArray(String[][]::new);
    public static final InPort<Packet, Message> NET_IN = new InPort<>("net", Packet.class, Arrived::new);
    public static final InPort<MemoryResponse, Message> MEM_IN = new InPort<>("mem", MemoryResponse.class, MemoryReply::new);
    public static final OutPort<Packet> NET_OUT = new OutPort<>(0, "net", Packet.class);

    private static final java.util.Map<Integer, OutPort<MemoryRequest>> MEM_OUTS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The output port to attached bank {@code bank}: one instance per bank, since a core asks for it
     * at every memory request (building the port and its name each time was 2% of a model run). A
     * bank beyond the core's fails at the send, as an output port that is not wired.
     */
    public static OutPort<MemoryRequest> memOut(int bank) {
        if (bank < 0) throw new IllegalArgumentException("bank must be >= 0, got " + bank);
        return MEM_OUTS.computeIfAbsent(bank, b -> new OutPort<>(1 + b, "mem" + b, MemoryRequest.class));
    }

    private static final java.util.Map<Integer, Ports<Message>> PORTS_BY_BANKS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The ports of a core with {@code banks} attached banks: one instance per bank count, shared by
     * every core and its wiring (so that checking a core's ports against its wiring compares one
     * object with itself, and a wafer's cores do not each hold a copy).
     */
    public static Ports<Message> ports(int banks) {
        return PORTS_BY_BANKS.computeIfAbsent(banks, n -> {
            List<OutPort<?>> outs = new ArrayList<>();
            outs.add(NET_OUT);
            for (int b = 0; b < n; b++) outs.add(memOut(b));
            return new Ports<>(List.of(NET_IN, MEM_IN), outs);
        });
    }

    private enum Waiting { NOTHING, TIMER, RECV, MEMORY, PREFETCH }

    private final transient int index;
    private final transient Program program;
    private final transient CoreTiming timing;
    private final transient Ports<Message> ports;
    private transient Kernels.Scratch scratch; // the kernels' working space, made at its first use: not state
    private final Tile[] slots;
    private final List<Reassembly.Message> inbox = new ArrayList<>(); // arrived before their recv; few, so a FIFO scan
    private final transient long maxPacketBytes;
    private final Reassembly reassembly = new Reassembly();
    private long messagesSent;
    private int pc;
    private Waiting waiting = Waiting.NOTHING;
    private Instruction blocked; // the recv, load or store being waited for
    private Instruction.Prefetch inFlight; // the prefetch whose tile is not in yet; the only memory request in flight then
    private long busyPs;
    private final long[] flopsByDtype = new long[FLOPS_BY_DTYPE.length];
    private long vectorElements;
    private long bytesSent;
    private long haltPs = -1;
    private Map<String, Long> marks; // made at the first mark or count: most of a wafer's cores have none
    private long lastMarkPs;
    private Instruction issued; // the instruction being executed, for traces: it lasts until the next one issues
    private long issuedPs;

    /**
     * {@code index}: this core's network endpoint number (its position in the mesh);
     * {@code maxPacketBytes}: the network interface's packet size limit (0 = one packet per tile).
     */
    public AiCore(int index, Program program, CoreTiming timing, int banks, long maxPacketBytes) {
        if (maxPacketBytes < 0) throw new IllegalArgumentException("maxPacketBytes must be >= 0, got " + maxPacketBytes);
        this.maxPacketBytes = maxPacketBytes;
        this.index = index;
        this.program = program;
        this.timing = timing;
        this.ports = ports(banks);
        this.slots = new Tile[program.slots()];
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void start(Context<Message> ctx) {
        ctx.schedule(WAKE, 0);
    }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Wake w -> {
                if (waiting == Waiting.TIMER) waiting = Waiting.NOTHING;
            }
            case Arrived a -> {
                // The message counts as received only when its last packet is in.
                Reassembly.Message m = reassembly.accept(a.packet());
                if (m != null) {
                    inbox.add(m);
                    if (waiting == Waiting.RECV && blocked instanceof Instruction.Recv r && takeFromInbox(r)) {
                        spend(ctx, timing.issueCycles());
                    }
                }
            }
            case MemoryReply r when inFlight != null -> {
                // memory instructions wait for a prefetch in flight, so this is its tile
                if (!(r.response() instanceof MemoryResponse.ReadData d)) throw new IllegalStateException("core " + index + ": " + r + " for " + inFlight);
                checkShape(inFlight.rows(), inFlight.cols(), d.tile(), inFlight);
                slots[inFlight.dst()] = d.tile();
                inFlight = null;
                if (waiting == Waiting.PREFETCH) waiting = Waiting.NOTHING;
            }
            case MemoryReply r -> {
                if (waiting != Waiting.MEMORY) throw new IllegalStateException("core " + index + ": unexpected memory reply " + r);
                if (r.response() instanceof MemoryResponse.ReadData d) {
                    switch (blocked) {
                        case Instruction.Load l -> {
                            checkShape(l.rows(), l.cols(), d.tile(), l);
                            slots[l.dst()] = d.tile();
                        }
                        case Instruction.LoadIndexed l -> {
                            checkShape(l.rows(), l.cols(), d.tile(), l);
                            slots[l.dst()] = d.tile();
                        }
                        default -> throw new IllegalStateException("core " + index + ": read data for " + blocked);
                    }
                }
                waiting = Waiting.NOTHING;
            }
        }
        advance(ctx);
    }

    /** Issues instructions until one makes the core wait. */
    private void advance(Context<Message> ctx) {
        while (waiting == Waiting.NOTHING && pc < program.size()) {
            if (inFlight != null && waitsForPrefetch(program.instructions().get(pc))) {
                waiting = Waiting.PREFETCH;
                break;
            }
            Instruction in = program.instructions().get(pc++);
            traceIssued(ctx);
            issued = in;
            issuedPs = ctx.now();
            switch (in) {
                case Instruction.Gemm g -> {
                    Tile a = slot(g.a()), b = slot(g.b());
                    Tile c = g.accumulate() ? slot(g.c()) : null;
                    if (scratch == null) scratch = new Kernels.Scratch();
                    Tile out = Kernels.gemm(a, b, c, g.accumulate(), scratch);
                    slots[g.c()] = out;
                    flopsByDtype[CoreTiming.matrixType(a.dtype(), b.dtype()).ordinal()] += 2L * a.rows() * a.cols() * b.cols();
                    spend(ctx, timing.cycles(g, c == null ? shapes(a, b) : shapes(a, b, c), shape(out)));
                }
                case Instruction.Elementwise e -> {
                    Tile a = slot(e.a()), b = slot(e.b());
                    Tile out = Kernels.elementwise(e.op(), a, b);
                    slots[e.dst()] = out;
                    vectorElements += a.elements();
                    spend(ctx, timing.cycles(e, shapes(a, b), shape(out)));
                }
                case Instruction.Reduce r -> {
                    Tile t = slot(r.src());
                    Tile out = Kernels.reduce(t, r.axis());
                    slots[r.dst()] = out;
                    vectorElements += t.elements();
                    spend(ctx, timing.cycles(r, shapes(t), shape(out)));
                }
                case Instruction.Vector v -> {
                    List<Tile> inputs = new ArrayList<>(v.srcs().size());
                    for (int src : v.srcs()) inputs.add(slot(src));
                    Tile out = Kernels.vector(v.op(), inputs);
                    if (!out.hasData() && v.op() instanceof VectorOp.Decision d) out = Kernels.draw(d, inputs, ctx.random());
                    slots[v.dst()] = out;
                    List<Shape> shapes = shapes(inputs.toArray(Tile[]::new));
                    vectorElements += v.op().work(shapes);
                    flopsByDtype[DType.FP32.ordinal()] += v.op().matrixFlops(shapes);
                    spend(ctx, timing.cycles(v, shapes, shape(out)));
                }
                case Instruction.LutGemm g -> {
                    Tile w = slot(g.w()), x = slot(g.x());
                    if (scratch == null) scratch = new Kernels.Scratch();
                    Tile out = Kernels.lutGemm(w, x, timing.lutGroupSize(), scratch);
                    slots[g.c()] = out;
                    flopsByDtype[DType.TERNARY.ordinal()] += 2L * w.rows() * w.cols();
                    // the table precompute runs on the vector unit
                    vectorElements += x.cols() * timing.lutGroups(w.cols()) * (1L << (timing.lutGroupSize() - 1));
                    spend(ctx, timing.cycles(g, shapes(w, x), shape(out)));
                }
                case Instruction.Mark m -> {
                    marks().put("at:" + m.label(), ctx.now());
                    marks().merge("span:" + m.label(), ctx.now() - lastMarkPs, Long::sum);
                    lastMarkPs = ctx.now();
                }
                case Instruction.Count c -> marks().merge("count:" + c.label(), 1L, Long::sum);
                case Instruction.Skip k -> {
                    Tile at = slot(k.index());
                    // decisions always carry a value, drawn in timing mode, so every core of a group agrees
                    if (!at.hasData()) throw new IllegalStateException("core " + index + ": skip on a shape-only index at " + k);
                    if ((int) at.data()[0] != k.value()) pc += k.count();
                    spend(ctx, timing.issueCycles());
                }
                case Instruction.LoadIndexed l -> {
                    Tile at = slot(l.index());
                    // shape-only tiles carry no index: timing mode draws it from the core's seeded stream
                    int i = at.hasData() ? (int) at.data()[0] : ctx.random().nextInt(l.count());
                    if (i < 0 || i >= l.count()) throw new IllegalStateException("core " + index + ": index " + i + " outside [0, " + l.count() + ") at " + l);
                    memory(ctx, l, l.bank(), new MemoryRequest.Read(0, l.base() + i * l.stride(), l.rows(), l.cols(), l.dtype()));
                }
                case Instruction.Send s -> {
                    Tile tile = slot(s.src());
                    long issue = timing.ps(timing.issueCycles());
                    // A send to itself never touches the network, so it is never split.
                    List<Packet> packets = Packet.split(index, s.destination(), s.tag(), messagesSent++, ctx.now(), tile,
                            tile.bytes(), s.destination() == index ? 0 : maxPacketBytes);
                    for (Packet p : packets) {
                        if (s.destination() == index) ctx.schedule(new Arrived(p), issue);
                        else ctx.send(NET_OUT, p, issue + ctx.latencyPs(NET_OUT));
                    }
                    bytesSent += tile.bytes();
                    spend(ctx, timing.issueCycles());
                }
                case Instruction.Recv r -> {
                    if (takeFromInbox(r)) {
                        spend(ctx, timing.issueCycles());
                    } else {
                        waiting = Waiting.RECV;
                        blocked = r;
                    }
                }
                case Instruction.Load l -> memory(ctx, l, l.bank(), new MemoryRequest.Read(0, l.address(), l.rows(), l.cols(), l.dtype()));
                case Instruction.Prefetch p -> {
                    OutPort<MemoryRequest> port = memOut(p.bank());
                    ctx.send(port, new MemoryRequest.Read(0, p.address(), p.rows(), p.cols(), p.dtype()),
                            timing.ps(timing.issueCycles()) + ctx.latencyPs(port));
                    inFlight = p;
                    spend(ctx, timing.issueCycles());
                }
                case Instruction.Store s -> memory(ctx, s, s.bank(), new MemoryRequest.Write(0, s.address(), slot(s.src())));
            }
        }
        if (waiting == Waiting.NOTHING && pc == program.size() && inFlight == null && haltPs < 0) {
            haltPs = ctx.now();
            traceIssued(ctx);
        }
    }

    /** Whether {@code next} must wait for the prefetch in flight: a memory instruction, or one touching its slot. */
    private boolean waitsForPrefetch(Instruction next) {
        if (next instanceof Instruction.Load || next instanceof Instruction.LoadIndexed || next instanceof Instruction.Store
                || next instanceof Instruction.Prefetch) {
            return true;
        }
        if (Instruction.write(next) == inFlight.dst()) return true;
        for (int r : Instruction.reads(next)) if (r == inFlight.dst()) return true;
        return false;
    }

    /** Ends the previous instruction's trace slice now (its name is made only for a traced core: every instruction passes here). */
    private void traceIssued(Context<Message> ctx) {
        if (issued != null && ctx.traced()) ctx.traceSlice(issued.getClass().getSimpleName(), issuedPs, ctx.now());
        issued = null;
    }

    private void memory(Context<Message> ctx, Instruction in, int bank, MemoryRequest request) {
        OutPort<MemoryRequest> port = memOut(bank);
        long issue = timing.ps(timing.issueCycles());
        ctx.send(port, request, issue + ctx.latencyPs(port));
        busyPs += issue;
        waiting = Waiting.MEMORY;
        blocked = in;
    }

    /** The core works for {@code cycles}; it resumes on the Wake. */
    private void spend(Context<Message> ctx, long cycles) {
        long ps = timing.ps(cycles);
        busyPs += ps;
        waiting = Waiting.TIMER;
        ctx.schedule(WAKE, ps);
    }

    private boolean takeFromInbox(Instruction.Recv r) {
        int i = 0;
        while (i < inbox.size() && (inbox.get(i).source() != r.source() || inbox.get(i).tag() != r.tag())) i++;
        if (i == inbox.size()) return false;
        Tile t = inbox.remove(i).tile();
        if (t.rows() != r.rows() || t.cols() != r.cols()) {
            throw new IllegalStateException("core " + index + ": received " + t + " for " + r);
        }
        slots[r.dst()] = t;
        blocked = null;
        return true;
    }

    private Map<String, Long> marks() {
        if (marks == null) marks = new HashMap<>();
        return marks;
    }

    private static Shape shape(Tile t) {
        return new Shape(t.rows(), t.cols(), t.dtype());
    }

    private static List<Shape> shapes(Tile... tiles) {
        List<Shape> s = new ArrayList<>(tiles.length);
        for (Tile t : tiles) s.add(shape(t));
        return s;
    }

    private Tile slot(int s) {
        Tile t = slots[s];
        if (t == null) throw new IllegalStateException("core " + index + ": slot " + s + " is empty at instruction " + (pc - 1));
        return t;
    }

    private void checkShape(int rows, int cols, Tile t, Instruction l) {
        if (t.rows() != rows || t.cols() != cols) throw new IllegalStateException("core " + index + ": loaded " + t + " for " + l);
    }


    @Override
    public long busyPsSoFar() { return busyPs; }

    /** Instructions issued so far (a skipped block counts as passed): the program's length once it has run. */
    @Override
    public long workSoFar() { return pc; }

    @Override
    public ComponentReport report(long endPs) {
        if (pc < program.size() || waiting != Waiting.NOTHING || inFlight != null) {
            throw new IllegalStateException("core " + index + " stopped at instruction " + pc + " of " + program.size()
                    + (blocked == null ? "" : ", waiting for " + blocked) + ": the program deadlocked");
        }
        if (reassembly.incomplete() > 0) {
            throw new IllegalStateException("core " + index + ": " + reassembly.incomplete() + " messages have packets missing");
        }
        Counters counters = Counters.of(REPORTED, program.size(), vectorElements, bytesSent, messagesSent, haltPs)
                .plus(Counters.copyOf(marks == null ? Map.of() : marks));
        for (int t = 0; t < flopsByDtype.length; t++) {
            if (flopsByDtype[t] > 0) counters = counters.plus(Counters.of(FLOPS_BY_DTYPE[t], flopsByDtype[t]));
        }
        return ComponentReport.of("core", busyPs, counters, Map.of());
    }

    /** A core's energy: matrix flops by dtype and vector elements, and the static power of a core with its SRAM. */
    public static final class Measures implements ComponentMeasures {
        @Override public String name() { return "core"; }

        @Override public Energy.Part part() { return Energy.Part.CORE; }

        @Override public boolean drawsStaticPower() { return true; }

        @Override
        public double dynamicPj(ComponentReport r, EnergySpec e) {
            double flops = 0;
            for (var c : r.counters().entrySet()) {
                if (c.getKey().startsWith(FLOPS)) flops += c.getValue() * e.pjPerFlop().getOrDefault(c.getKey().substring(FLOPS.length()), 0.0);
            }
            return flops + r.counter(VECTOR_ELEMENTS) * e.pjPerVectorElement();
        }
    }
}
