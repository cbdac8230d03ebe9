package org.meshemu.workloads.traffic;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;
import org.meshemu.wire.Packet;
import org.meshemu.wire.Reassembly;

/**
 * A synthetic traffic endpoint, in place of a core: it creates messages by a Bernoulli process
 * (each cycle, with probability {@code injectionRate}, one message of {@code packetBytes} to the
 * pattern's destination) for warmup + measure cycles, hands them to its router at once (the
 * network interface queues nothing: waiting happens in the links' FIFOs, and it counts, since a
 * message's latency runs from its creation), and sinks the messages sent to it.
 *
 * <p>The Bernoulli process is drawn as geometric gaps between injections from the endpoint's own
 * seeded stream, which has the same distribution and costs one event per message instead of one
 * per cycle. Statistics cover messages created in [warmup, warmup + measure) (latency, offered)
 * and messages ejected in that window (accepted); the run drains every message before it ends.
 */
public final class TrafficSource implements Component<TrafficSource.Message> {

    /** The endpoint's protocol. */
    public sealed interface Message permits Inject, Arrived {}

    /** Create the message due now and schedule the next one. */
    public record Inject() implements Message {}

    /** A packet delivered by the network. */
    public record Arrived(Packet packet) implements Message {}

    public static final InPort<Packet, Message> NET_IN = new InPort<>("net", Packet.class, Arrived::new);
    public static final OutPort<Packet> NET_OUT = new OutPort<>(0, "net", Packet.class);
    public static final Ports<Message> PORTS = new Ports<>(List.of(NET_IN), List.of(NET_OUT));

    /** Counter names of the report; {@link TrafficStats} reads them. */
    static final String OFFERED = "offered", ACCEPTED = "accepted", MEASURED = "measured", LATENCY_SUM = "latencySumCycles",
            MEASURE_CYCLES = "measureCycles", CREATED = "created", HISTOGRAM = "latencyCycles=";

    /**
     * The generator's parameters.
     *
     * @param injectionRate  messages per endpoint per cycle, in (0, 1]
     * @param packetBytes    bytes of each message
     * @param maxPacketBytes the network interface's packet size limit (0: no split)
     */
    public record Config(TrafficPattern.Destinations pattern, double injectionRate, long packetBytes, long maxPacketBytes,
                         long warmupCycles, long measureCycles, long cyclePs) {
        public Config {
            if (!(injectionRate > 0 && injectionRate <= 1)) throw new IllegalArgumentException("injectionRate must be in (0, 1], got " + injectionRate);
            if (packetBytes < 1 || warmupCycles < 0 || measureCycles < 1 || cyclePs < 1) {
                throw new IllegalArgumentException("bad traffic config " + this);
            }
        }
    }

    private static final Inject INJECT = new Inject();

    private final transient int endpoint;
    private final transient Config config;
    private final Reassembly reassembly = new Reassembly();
    private final Map<Long, Long> histogram = new TreeMap<>();
    private long cycle; // the cycle of the next injection
    private long cyclesPassed; // of the injection period, up to the last injection made (all of it once none is left)
    private long created, offered, accepted, measured, latencySum;

    public TrafficSource(int endpoint, Config config) {
        this.endpoint = endpoint;
        this.config = config;
    }

    @Override public Ports<Message> ports() { return PORTS; }

    @Override
    public void start(Context<Message> ctx) {
        cycle = gap(ctx) - 1; // the first success of the Bernoulli process counting from cycle 0
        if (cycle < end()) ctx.schedule(INJECT, cycle * config.cyclePs());
        else cyclesPassed = end();
    }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Inject i -> {
                int destination = config.pattern().destination(endpoint, ctx.random());
                for (Packet p : Packet.split(endpoint, destination, 0, created++, ctx.now(), null, config.packetBytes(),
                        config.maxPacketBytes())) {
                    ctx.send(NET_OUT, p, ctx.latencyPs(NET_OUT));
                }
                if (inWindow(cycle)) offered++;
                cyclesPassed = cycle + 1;
                cycle += gap(ctx);
                if (cycle < end()) ctx.schedule(INJECT, cycle * config.cyclePs() - ctx.now());
                else cyclesPassed = end();
            }
            case Arrived a -> {
                Reassembly.Message m = reassembly.accept(a.packet());
                if (m == null) break;
                if (inWindow(ctx.now() / config.cyclePs())) accepted++;
                if (inWindow(m.createdPs() / config.cyclePs())) {
                    long latency = (ctx.now() - m.createdPs()) / config.cyclePs();
                    measured++;
                    latencySum += latency;
                    histogram.merge(latency, 1L, Long::sum);
                }
            }
        }
    }

    private long end() { return config.warmupCycles() + config.measureCycles(); }

    /** Cycles of its injection period (warmup + measure) passed, as of its last injection: the period once it has injected all. */
    @Override
    public long workSoFar() { return cyclesPassed; }

    private boolean inWindow(long c) { return c >= config.warmupCycles() && c < end(); }

    /** Cycles to the next injection, >= 1: geometric with success probability injectionRate. */
    private long gap(Context<Message> ctx) {
        double p = config.injectionRate();
        if (p >= 1) return 1;
        double u = 1 - ctx.random().nextDouble(); // (0, 1]
        return 1 + (long) Math.floor(Math.log(u) / Math.log1p(-p));
    }

    @Override
    public ComponentReport report(long endPs) {
        if (reassembly.incomplete() > 0) {
            throw new IllegalStateException("endpoint " + endpoint + ": " + reassembly.incomplete() + " messages have packets missing");
        }
        Map<String, Long> counters = new TreeMap<>();
        counters.put(CREATED, created);
        counters.put(OFFERED, offered);
        counters.put(ACCEPTED, accepted);
        counters.put(MEASURED, measured);
        counters.put(LATENCY_SUM, latencySum);
        counters.put(MEASURE_CYCLES, config.measureCycles());
        histogram.forEach((latency, count) -> counters.put(HISTOGRAM + latency, count));
        return ComponentReport.of("traffic", 0, counters, Map.of());
    }
}
