package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor that hosts one {@link Component}. On {@link Start} it queues the events its
 * {@link NodeSync} hands it, handles those due before the window's end in key order, and answers
 * {@link NodeSync.Done} with its own next event time and every event it sent. Events travel only
 * inside Start and Done, so the NodeSync knows each component's next event exactly and no
 * message between components can race with the end of a window.
 */
public final class ComponentActor<M> implements Context<M> {

    /** The protocol of a hosted component. */
    public sealed interface Command permits Start, Collect {}

    /** Queue {@code events}, handle every queued event due before {@code endPs}, then reply {@link NodeSync.Done}. */
    public record Start(long window, long endPs, List<Event> events) implements Command {}

    /** Reply {@link NodeSync.Collected} with the component's report. */
    public record Collect(long endPs) implements Command {}

    private static final long COMPONENT_STREAM_SALT = 0x6D657368656D75L; // "meshemu"

    private final int id;
    private final String label;
    private final Component<M> component;
    private final Assembly.Channel[] channels;
    private final ActorRef<NodeSync.Command> sync;
    private final long seed;
    private final PriorityQueue<Event> queue = new PriorityQueue<>(Event.ORDER);
    private SplittableRandom random;
    private long seq;
    private long now;
    private boolean failed;
    private List<Event> sent = new ArrayList<>(); // this window's outgoing events, handed over in Done

    private ComponentActor(int id, String label, Component<M> component, Assembly.Channel[] channels,
                           ActorRef<NodeSync.Command> sync, long seed) {
        this.id = id;
        this.label = label;
        this.component = component;
        this.channels = channels;
        this.sync = sync;
        this.seed = seed;
    }

    static <M> Behavior<Command> create(int id, String label, Component<M> component, Assembly.Channel[] channels,
                                        ActorRef<NodeSync.Command> sync, long seed) {
        return Behaviors.setup(ctx -> {
            ComponentActor<M> actor = new ComponentActor<>(id, label, component, channels, sync, seed);
            actor.startUp();
            return Behaviors.receiveMessage(actor::onCommand);
        });
    }

    private void startUp() {
        try {
            component.start(new StartContext());
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        sync.tell(done(NodeSync.STARTUP_WINDOW, 0, -1));
    }

    private Behavior<Command> onCommand(Command command) {
        switch (command) {
            case Start s -> runWindow(s);
            case Collect c -> collect(c);
        }
        return Behaviors.same();
    }

    private void collect(Collect c) {
        if (failed) return;
        try {
            sync.tell(new NodeSync.Collected(component.report(c.endPs()).withId(id)));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @SuppressWarnings("unchecked")
    private void runWindow(Start start) {
        if (failed) return;
        queue.addAll(start.events());
        long handled = 0;
        long last = -1;
        try {
            while (!queue.isEmpty() && queue.peek().time() < start.endPs()) {
                Event e = queue.poll();
                now = e.time();
                M message = e.port() == Event.SELF
                        ? (M) e.payload()
                        : component.ports().inputs().get(e.port()).adapt(e.payload());
                component.handle(message, this);
                handled++;
                last = now;
            }
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        sync.tell(done(start.window(), handled, last));
    }

    private NodeSync.Done done(long window, long handled, long last) {
        long next = queue.isEmpty() ? Time.NEVER : queue.peek().time();
        NodeSync.Done d = new NodeSync.Done(id, window, next, sent, handled, last);
        sent = sent.isEmpty() ? sent : new ArrayList<>();
        return d;
    }

    private void fail(RuntimeException e) {
        failed = true;
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        sync.tell(new NodeSync.Failed(label + " at " + now + " ps: " + why, e));
    }

    // ---- Context ----

    @Override public long now() { return now; }

    @Override public int self() { return id; }

    @Override
    public <T> void send(OutPort<T> port, T message, long delayPs) {
        Assembly.Channel ch = channel(port);
        if (delayPs < ch.latencyPs()) {
            throw new IllegalStateException("sent on " + port.name() + " with delay " + delayPs
                    + " ps, below the channel latency " + ch.latencyPs() + " ps");
        }
        sent.add(new Event(now + delayPs, 0, id, seq++, ch.target(), ch.targetPort(), message));
    }

    @Override
    public void schedule(M message, long delayPs) {
        if (delayPs < 0) throw new IllegalStateException("scheduled into the past: delay " + delayPs + " ps");
        queue.add(new Event(now + delayPs, 0, id, seq++, id, Event.SELF, message));
    }

    @Override
    public long latencyPs(OutPort<?> port) { return channel(port).latencyPs(); }

    @Override
    public boolean isWired(OutPort<?> port) { return port.index() < channels.length && channels[port.index()] != null; }

    @Override
    public SplittableRandom random() {
        // Salted so that a component's stream is never the same as a workload's input stream of the same number.
        if (random == null) random = new SplittableRandom((seed ^ COMPONENT_STREAM_SALT) * 0x9E3779B97F4A7C15L + id);
        return random;
    }

    private Assembly.Channel channel(OutPort<?> port) {
        if (!isWired(port)) throw new IllegalStateException("output port '" + port.name() + "' is not wired");
        return channels[port.index()];
    }

    /** Only self messages are allowed at start-up, before any window. */
    private final class StartContext implements Context<M> {
        @Override public long now() { return 0; }
        @Override public int self() { return id; }
        @Override public <T> void send(OutPort<T> port, T message, long delayPs) {
            throw new IllegalStateException("components may only schedule self messages in start()");
        }
        @Override public void schedule(M message, long delayPs) { ComponentActor.this.schedule(message, delayPs); }
        @Override public long latencyPs(OutPort<?> port) { return ComponentActor.this.latencyPs(port); }
        @Override public boolean isWired(OutPort<?> port) { return ComponentActor.this.isWired(port); }
        @Override public SplittableRandom random() { return ComponentActor.this.random(); }
    }
}
