package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PHOLD, the classic benchmark of parallel discrete-event simulators, as a test component: tokens
 * hop between components with random (seeded) choices of port and delay. Each component folds
 * every event it handles into a digest, so any difference in event order shows.
 */
final class Phold implements Component<Phold.Message> {
    sealed interface Message permits Token {}

    record Token(long value, int hops) implements Message {}

    static final InPort<Token, Message> IN = new InPort<>("in", Token.class, t -> t);

    static Ports<Message> ports(int outs) {
        List<OutPort<?>> o = new ArrayList<>();
        for (int i = 0; i < outs; i++) o.add(new OutPort<>(i, "p" + i, Token.class));
        return new Ports<>(List.of(IN), o);
    }

    private final transient Ports<Message> ports;
    private final transient int tokens;
    private final transient int hops;
    private final transient long jitterStepPs;
    long digest = 17;
    long handled;

    Phold(int outs, int tokens, int hops, long jitterStepPs) {
        this.ports = ports(outs);
        this.tokens = tokens;
        this.hops = hops;
        this.jitterStepPs = jitterStepPs;
    }

    @Override public Ports<Message> ports() { return ports; }

    @Override
    public void start(Context<Message> ctx) {
        for (int i = 0; i < tokens; i++) ctx.schedule(new Token(ctx.self() * 1000L + i, hops), ctx.random().nextInt(4) * jitterStepPs);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void handle(Message message, Context<Message> ctx) {
        switch (message) {
            case Token t -> {
                digest = digest * 31 + ctx.now() * 7 + t.value();
                handled++;
                ctx.traceSlice("token", ctx.now(), ctx.now());
                if (t.hops() > 0) {
                    OutPort<Token> port = (OutPort<Token>) ports.outputs().get(ctx.random().nextInt(ports.outputs().size()));
                    long delay = ctx.latencyPs(port) + ctx.random().nextInt(4) * jitterStepPs;
                    ctx.send(port, new Token(t.value() * 17 + ctx.self(), t.hops() - 1), delay);
                }
            }
        }
    }

    @Override
    public long busyPsSoFar() { return handled; } // for ObserverTest: tokens handled stand in for busy time

    @Override
    public ComponentReport report(long endPs) {
        return ComponentReport.of("phold", 0, Map.of("digest", digest, "handled", handled), Map.of());
    }
}
