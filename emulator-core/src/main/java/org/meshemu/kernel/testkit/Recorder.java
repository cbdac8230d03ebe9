package org.meshemu.kernel.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.InPort;
import org.meshemu.kernel.Ports;

/**
 * Records every message of type {@code T} that reaches its input port "in", with its arrival time.
 * Read {@link #arrivals()} after {@link org.meshemu.kernel.Engine#run} has returned.
 */
public final class Recorder<T> implements Component<Recorder.Message<T>> {

    /** The recorder's protocol: whatever arrives. */
    public sealed interface Message<T> permits Received {}

    /** A message that arrived. */
    public record Received<T>(T message) implements Message<T> {}

    /** A message and the time it arrived, in picoseconds. */
    public record Arrival<T>(long timePs, T message) {}

    private final transient Ports<Message<T>> ports;
    private final List<Arrival<T>> arrivals = new ArrayList<>();

    public Recorder(Class<T> type) {
        InPort<T, Message<T>> in = new InPort<>("in", type, Received::new);
        this.ports = new Ports<>(List.of(in), List.of());
    }

    @Override public Ports<Message<T>> ports() { return ports; }

    @Override
    public void handle(Message<T> message, Context<Message<T>> ctx) {
        switch (message) {
            case Received<T> r -> arrivals.add(new Arrival<>(ctx.now(), r.message()));
        }
    }

    public List<Arrival<T>> arrivals() { return List.copyOf(arrivals); }

    /** Arrival times only. */
    public List<Long> times() { return arrivals.stream().map(Arrival::timePs).toList(); }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("recorder", 0, Counters.of(new String[] {"arrivals"}, arrivals.size()), Map.of());
    }
}
