package org.meshemu.kernel;

import java.util.List;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.UntypedAbstractActor;
import scala.Function1;
import scala.PartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The actor that hosts one {@link Component}: this object holds the component's kernel state, and
 * {@link Actor}, a Pekko actor of its own, receives its messages. An idle component costs that
 * actor, this object and the model, nothing more.
 *
 * <p>Events reach a component through its inbox, kept by its {@link Partition}: a sender in the same
 * partition pushes each event there as it sends it (a lock-free stack, so senders on other threads never wait); events from
 * other partitions are pushed by this partition's {@link NodeSync} when their batch arrives. On
 * {@link Start} the component moves its inbox into its queue, handles every event due before the
 * window's end in key order, writes its next event time and what it sent into its thread's
 * {@link WindowLog}, and tells its {@link Partition} it has finished. The NodeSync then reads the
 * logs, with no message.
 */
public final class ComponentActor<M> extends EventQueue implements Context<M> {

    /** The protocol of a hosted component. */
    public sealed interface Command permits Start {}

    /** Handle every event due before {@code endPs}, then tell the partition. One instance per window. */
    public record Start(long endPs) implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    /**
     * The Pekko actor of one component, named {@code c<position>} by its place in its block. It is a
     * classic actor made from its block's one {@link Props}, because a typed spawn makes a Props, a
     * context adapter and a supervisor strategy for every actor and interprets a behaviour on every
     * message: about 340 bytes and a longer path per message for each of hundreds of thousands of
     * components (docs/PERFORMANCE.md). Names need only differ among siblings, so every block's
     * children share one set of {@link ComponentBlock#SIZE} name strings rather than a string and its
     * bytes each. It finds its host through the block's ids and the position in its name; the block
     * registers the host before spawning it.
     *
     * <p>It is its own receive function: Pekko calls the function an actor's {@code receive} returned
     * on every message, and a separate one (a classic actor's own) is one more object to create and
     * to load, cold, on each of a component's windows.
     */
    static final class Actor extends UntypedAbstractActor implements PartialFunction<Object, BoxedUnit> {
        private final ComponentActor<?> host;

        private Actor(Directory directory, int[] blockIds) {
            String name = getSelf().path().name();
            host = directory.host(blockIds[Integer.parseInt(name, 1, name.length(), 10)]);
        }

        /**
         * The Props a block spawns all its components ({@code blockIds}) from, with a mailbox of one field (a classic
         * actor's default, a {@code ConcurrentLinkedQueue}, took 15% of a dense run; {@link ComponentMailbox}).
         */
        static Props props(Directory directory, int[] blockIds) {
            return Props.create(Actor.class, () -> new Actor(directory, blockIds)).withMailbox(ComponentMailbox.PATH);
        }

        private static final String[] NAMES = new String[ComponentBlock.SIZE];

        static {
            for (int position = 0; position < NAMES.length; position++) NAMES[position] = "c" + position;
        }

        /** The name of the component at {@code position} in its block's ids. */
        static String name(int position) { return NAMES[position]; }

        @Override
        public PartialFunction<Object, BoxedUnit> receive() { return this; }

        @Override
        public <A1, B1> B1 applyOrElse(A1 message, Function1<A1, B1> otherwise) {
            if (!isDefinedAt(message)) return otherwise.apply(message);
            onReceive(message);
            return null; // Pekko ignores what its receive function returns
        }

        @Override
        public boolean isDefinedAt(Object message) { return message instanceof Start; }

        @Override
        public BoxedUnit apply(Object message) {
            onReceive(message);
            return BoxedUnit.UNIT;
        }

        @Override
        public void onReceive(Object message) {
            if (message instanceof Start s) host.runWindow(s.endPs());
            else unhandled(message);
        }
    }

    private static final long COMPONENT_STREAM_SALT = 0x6D657368656D75L; // "meshemu"
    private final int id;
    private final Component<M> component;
    private final Assembly.Channel[] channels;
    final Partition partition; // package-private for tests that break the window count on purpose
    private final int localIndex; // among the partition's components: where its inbox is
    private SplitMix random;
    private long seq;
    private long now;
    private boolean failed;

    org.apache.pekko.actor.ActorRef actor; // of its Actor
    long next = Time.NEVER;        // earliest event after start-up (or a restore), read by the NodeSync once; windows log theirs
    long lastEndPs = -1;           // the end of the last window it ran; read unordered, by the stall check only (to name those that never ran)
    private WindowLog windowLog;   // its thread's log while it runs a window
    TraceBuffer trace;             // set by an observer at a barrier; null: not traced

    ComponentActor(int id, Component<M> component, Assembly.Channel[] channels, Partition partition) {
        this.id = id;
        this.component = component;
        this.channels = channels;
        this.partition = partition;
        this.localIndex = partition.directory.localIndex(id);
    }

    /** Runs the component's {@code start()} before the actor exists, so a start that does nothing costs no message. */
    void startUp() {
        try {
            component.start(new StartContext());
        } catch (Throwable e) { // anything a model throws fails the run naming it; nothing may leave the partition waiting
            fail(e);
        }
        next = headTime();
    }

    /**
     * Reads what a {@link Start} to this component touches first (its actor's cell, mailbox and
     * message queue, the actor, its own event queue) and returns a number made from them. A
     * component started in a sparse window has left the caches since its last one, and each of
     * those reads is a miss that waits for the one before it; the NodeSync calls this for every
     * component of a window before it tells any, so the misses of different components overlap
     * (docs/PERFORMANCE.md, "Warming a window's components"). It changes nothing. It reads Pekko's
     * own classes (the local reference's cell, its mailbox): a Pekko that changes them fails to
     * compile here, or to cast (a block's children are local references), rather than run slower unseen.
     */
    int warm() {
        org.apache.pekko.actor.ActorCell cell = ((org.apache.pekko.actor.LocalActorRef) actor).underlying();
        org.apache.pekko.dispatch.Mailbox mailbox = cell.mailbox();
        int n = mailbox.currentStatus() + (mailbox.messageQueue().hasMessages() ? 1 : 0);
        if (cell.actor() instanceof Actor a && a.host == this) n++;
        return n + (int) headTime();
    }

    private void runWindow(long endPs) {
        lastEndPs = endPs;
        try {
            if (!failed) handleUntil(endPs);
        } finally {
            partition.finished(); // whatever happened: the partition must never wait for this component
        }
    }

    @SuppressWarnings("unchecked")
    private void handleUntil(long endPs) {
        int handled = 0;
        try {
            windowLog = partition.windowLog();
            drainInbox();
            while (headTime() < endPs) {
                Event e = poll();
                now = e.time();
                M message = e.port() == Event.SELF
                        ? (M) e.payload()
                        : component.ports().inputs().get(e.port()).adapt(e.payload());
                component.handle(message, this);
                handled++;
            }
            windowLog.ran(localIndex, headTime(), handled, now);
        } catch (Throwable e) {
            // any throwable (out of memory, an assertion, a stack overflow): the run fails with a message naming
            // the component, never through Pekko's supervision, which would stop this actor and leave its
            // partition waiting for it
            fail(e);
        }
    }

    /** Moves the inbox into the queue (at the start of a window, or at a barrier for a checkpoint). */
    void drainInbox() {
        for (Event e = partition.takeInbox(localIndex); e != null; ) {
            Event following = e.next;
            e.next = null;
            add(e);
            e = following;
        }
    }

    // ---- checkpoints (ComponentState), at a barrier only ----

    int id() { return id; }

    long seq() { return seq; }

    /** The random stream if the component has drawn from it, else null (it is then created on first use). */
    SplitMix randomIfDrawn() { return random; }

    /** The queued events, in no particular order; the inbox must have been drained. */
    Event[] pending() { return toArray(); }

    /** Takes the state a checkpoint held, instead of {@link #startUp()}. */
    void restore(long seq, long now, SplitMix random, List<Event> pending) {
        this.seq = seq;
        this.now = now;
        this.random = random;
        for (Event e : pending) add(e);
        next = headTime();
    }

    /** The hosted component, for a {@link ComponentProbe}. */
    Component<M> component() { return component; }

    /** The component's end-of-run report, stamped with its id; called after the last window. */
    ComponentReport report(long endPs) {
        return component.report(endPs).withId(id);
    }

    private void fail(Throwable e) {
        failed = true;
        next = Time.NEVER;
        partition.fail(partition.directory.label(id) + " at " + now + " ps", e);
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
        int target = ch.target();
        Event e = new Event(now + delayPs, id, seq++, target, ch.targetPort(), message);
        Directory directory = partition.directory;
        if (partition.hosts(target)) {
            int targetIndex = directory.localIndex(target);
            partition.push(targetIndex, e);
            windowLog.sent(targetIndex, e.time());
        } else {
            windowLog.away(e);
        }
    }

    @Override
    public void schedule(M message, long delayPs) {
        if (delayPs < 0) throw new IllegalStateException("scheduled into the past: delay " + delayPs + " ps");
        add(new Event(now + delayPs, id, seq++, id, Event.SELF, message));
    }

    @Override
    public long latencyPs(OutPort<?> port) { return channel(port).latencyPs(); }

    @Override
    public void traceSlice(String name, long startPs, long endPs) {
        if (trace != null) trace.add(name, startPs, endPs);
    }

    @Override
    public boolean traced() { return trace != null; }

    @Override
    public boolean isWired(OutPort<?> port) { return port.index() < channels.length && channels[port.index()] != null; }

    @Override
    public RandomGenerator random() {
        // Salted so that a component's stream is never the same as a workload's input stream of the same number.
        if (random == null) random = new SplitMix(SplitMix.streamState(partition.directory.assembly().seed() ^ COMPONENT_STREAM_SALT, id));
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
        @Override public RandomGenerator random() { return ComponentActor.this.random(); }
    }
}
