package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor that hosts one {@link Component}. It queues the events delivered to it, and on
 * {@link Start} handles those due before the window's end in key order, then answers its
 * {@link NodeSync} with {@link NodeSync.Done}: its own next event time, the earliest time it sent
 * to each local component it touched, and the events it sent to other partitions.
 *
 * <p>Events to a local component are told to it directly before the {@code Done} is sent; a local
 * tell enqueues synchronously, so they are in the receiver's mailbox before the NodeSync can open
 * the next window (DESIGN section 3, rule 5).
 */
public final class ComponentActor<M> implements Context<M> {

    /** The protocol of a hosted component. */
    public sealed interface Command permits Deliver, Start, Collect {}

    /** An event for this component (from a local component or from its NodeSync's batch). */
    public record Deliver(Event event) implements Command {}

    /** Handle every queued event due before {@code endPs}, then reply {@link NodeSync.Done}. */
    public record Start(long window, long endPs) implements Command {}

    /** Reply {@link NodeSync.Collected} with the component's report. */
    public record Collect(long endPs) implements Command {}

    private final int id;
    private final String label;
    private final Component<M> component;
    private final Assembly.Channel[] channels;
    private final Directory directory;
    private final ActorRef<NodeSync.Command> sync;
    private final long seed;
    private final int partition;
    private final PriorityQueue<Event> queue = new PriorityQueue<>(Event.ORDER);
    private SplittableRandom random;
    private long seq;
    private long now;
    private boolean failed;
    // Per-window outputs, reset after each Done.
    private final TouchList touched = new TouchList();
    private List<Event> remote = new ArrayList<>();

    private ComponentActor(int id, String label, Component<M> component, Assembly.Channel[] channels,
                           Directory directory, ActorRef<NodeSync.Command> sync, long seed) {
        this.id = id;
        this.label = label;
        this.component = component;
        this.channels = channels;
        this.directory = directory;
        this.sync = sync;
        this.seed = seed;
        this.partition = directory.partitionOf(id);
    }

    static <M> Behavior<Command> create(int id, String label, Component<M> component, Assembly.Channel[] channels,
                                        Directory directory, ActorRef<NodeSync.Command> sync, long seed) {
        return Behaviors.setup(ctx -> {
            ComponentActor<M> actor = new ComponentActor<>(id, label, component, channels, directory, sync, seed);
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
            case Deliver d -> queue.add(d.event());
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
        NodeSync.Done d = new NodeSync.Done(id, window, next, touched.ids(), touched.times(), remote, handled, last);
        touched.clear();
        remote = remote.isEmpty() ? remote : new ArrayList<>();
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
        Event e = new Event(now + delayPs, 0, id, seq++, ch.target(), ch.targetPort(), message);
        if (directory.partitionOf(ch.target()) == partition) {
            directory.ref(ch.target()).tell(new Deliver(e));
            touched.add(ch.target(), e.time());
        } else {
            remote.add(e);
        }
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
        if (random == null) random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
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

    /** The earliest time sent to each local component during one window (few entries: linear scan). */
    private static final class TouchList {
        private static final int[] NO_IDS = {};
        private static final long[] NO_TIMES = {};
        private int[] ids = new int[4];
        private long[] times = new long[4];
        private int size;

        void add(int target, long t) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == target) {
                    if (t < times[i]) times[i] = t;
                    return;
                }
            }
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
                times = java.util.Arrays.copyOf(times, size * 2);
            }
            ids[size] = target;
            times[size++] = t;
        }

        int[] ids() { return size == 0 ? NO_IDS : java.util.Arrays.copyOf(ids, size); }

        long[] times() { return size == 0 ? NO_TIMES : java.util.Arrays.copyOf(times, size); }

        void clear() { size = 0; }
    }
}
