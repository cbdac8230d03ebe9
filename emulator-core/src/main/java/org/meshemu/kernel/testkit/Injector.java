package org.meshemu.kernel.testkit;

import java.util.List;
import java.util.Map;
import org.meshemu.kernel.Component;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.kernel.Context;
import org.meshemu.kernel.Counters;
import org.meshemu.kernel.OutPort;
import org.meshemu.kernel.Ports;

/**
 * Sends scripted messages through its output port "out": message i is handed to the channel at
 * {@code sends.get(i).timePs()} and arrives one channel latency later.
 */
public final class Injector<T> implements Component<Injector.Message> {

    /** The injector's protocol: its own timer. */
    public sealed interface Message permits Fire {}

    /** Time to send scripted message {@code index}. */
    public record Fire(int index) implements Message {}

    /** Send {@code message} at {@code timePs}. */
    public record Send<T>(long timePs, T message) {}

    private final transient OutPort<T> out;
    private final transient Ports<Message> ports;
    private final transient List<Send<T>> sends;

    public Injector(Class<T> type, List<Send<T>> sends) {
        this.out = new OutPort<>(0, "out", type);
        this.ports = new Ports<>(List.of(), List.of(out));
        this.sends = List.copyOf(sends);
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void start(Context<Message> ctx) {
        for (int i = 0; i < sends.size(); i++) ctx.schedule(new Fire(i), sends.get(i).timePs());
    }

    @Override
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Fire f -> ctx.send(out, sends.get(f.index()).message(), ctx.latencyPs(out));
        }
    }

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("injector", 0, Counters.of(new String[] {"sent"}, sends.size()), Map.of());
    }
}
