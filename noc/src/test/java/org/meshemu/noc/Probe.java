package org.meshemu.noc;

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
 * A test endpoint: sends the given messages through its network interface (split at
 * maxPacketBytes) and reports, for each message it receives, its latency in ps under the counter
 * "latency.SOURCE.MESSAGE".
 */
final class Probe implements Component<Probe.Message> {
    sealed interface Message permits Go, Arrived {}

    record Go(Send send, long number) implements Message {}

    record Arrived(Packet packet) implements Message {}

    /** Send {@code bytes} to {@code destination} at {@code atPs}. */
    record Send(long atPs, int destination, long bytes) {}

    static final Ports<Message> PORTS = new Ports<>(
            List.of(new InPort<>("net", Packet.class, Arrived::new)), List.of(new OutPort<>(0, "net", Packet.class)));
    @SuppressWarnings("unchecked")
    private static final OutPort<Packet> OUT = (OutPort<Packet>) PORTS.outputs().get(0);

    private final transient int endpoint;
    private final transient long maxPacketBytes;
    private final transient List<Send> sends;
    private final Reassembly reassembly = new Reassembly();
    private final Map<String, Long> latencies = new TreeMap<>();

    Probe(int endpoint, long maxPacketBytes, List<Send> sends) {
        this.endpoint = endpoint;
        this.maxPacketBytes = maxPacketBytes;
        this.sends = sends;
    }

    @Override public Ports<Message> ports() { return PORTS; }

    @Override
    public void start(Context<Message> ctx) {
        for (int i = 0; i < sends.size(); i++) ctx.schedule(new Go(sends.get(i), i), sends.get(i).atPs());
    }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Go g -> {
                for (Packet p : Packet.split(endpoint, g.send().destination(), 0, g.number(), ctx.now(), null, g.send().bytes(), maxPacketBytes)) {
                    ctx.send(OUT, p, ctx.latencyPs(OUT));
                }
            }
            case Arrived a -> {
                Reassembly.Message m = reassembly.accept(a.packet());
                if (m != null) latencies.put("latency." + m.source() + "." + m.message(), ctx.now() - m.createdPs());
            }
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("probe", 0, latencies, Map.of());
    }
}
