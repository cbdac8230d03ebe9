package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Drives the components of one partition through the windows the {@link WindowRoot} opens, and
 * carries every event between them.
 *
 * <p>Window k is [start, start + W). The NodeSync starts it once the root has opened it and every
 * partition that can send here has delivered its batch for window k-1 (exactly one batch per
 * sending partition per window, empty or not, so its arrival means "all your inputs are here").
 * It then starts only the components whose next event is due in the window, handing each the
 * events held for it, collects their {@link Done}s (which carry the events they sent: those for
 * this partition are held for their target, the others batched), sends one {@link Batch} to each
 * partition it can send to, and reports to the root the earliest time anything here, or anything
 * it sent away, is due.
 */
public final class NodeSync {
    /** The pseudo-window in which components start up and announce their first event. */
    static final long STARTUP_WINDOW = -1;

    /** The protocol of a NodeSync. */
    public sealed interface Command permits Peers, Open, Done, Batch, Failed, Finish, Collected {}

    /** The NodeSync of every partition, by partition number; sent once before anything else. */
    public record Peers(List<ActorRef<Command>> byPartition) implements Command {}

    /** The root opens window {@code window} = [startPs, endPs). */
    public record Open(long window, long startPs, long endPs) implements Command {}

    /**
     * A component finished a window: its own next event time, the events it sent, how many events
     * it handled and the time of the last one (-1 if none).
     */
    public record Done(int component, long window, long nextPs, List<Event> sent, long events, long lastPs) implements Command {}

    /** The events partition {@code from} emitted in {@code window} for components of this partition. */
    public record Batch(int from, long window, List<Event> events) implements Command {}

    /** A component failed; the run ends with this message. */
    public record Failed(String message, Throwable cause) implements Command {}

    /** No events remain: collect every component's report. */
    public record Finish(long endPs) implements Command {}

    /** A component's end-of-run report. */
    public record Collected(ComponentReport report) implements Command {}

    private final int partition;
    private final Assembly assembly;
    private final Directory directory;
    private final ActorRef<WindowRoot.Command> root;
    private final int[] sendsTo;
    private final int receivesFrom;
    private final ActorContext<Command> context;
    private final int[] local; // component ids hosted here
    private final MinHeap next;
    private final List<Event>[] held; // by local index: events delivered here, not yet handed to their component

    private List<ActorRef<Command>> peers = List.of();
    private long window = STARTUP_WINDOW;
    private Open open;
    private int awaiting;
    private final Map<Long, List<Batch>> batches = new HashMap<>();
    private final Map<Integer, List<Event>> outgoing = new HashMap<>();
    private long minSent = Time.NEVER;
    private long windowEvents;
    private long windowLast = -1;
    private final List<ComponentReport> reports = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private NodeSync(ActorContext<Command> context, int partition, Assembly assembly, Directory directory,
                     int[] sendsTo, int receivesFrom, ActorRef<WindowRoot.Command> root) {
        this.context = context;
        this.partition = partition;
        this.assembly = assembly;
        this.directory = directory;
        this.sendsTo = sendsTo;
        this.receivesFrom = receivesFrom;
        this.root = root;
        int count = 0;
        for (int id = 0; id < assembly.size(); id++) if (directory.partitionOf(id) == partition) count++;
        this.local = new int[count];
        for (int id = 0, i = 0; id < assembly.size(); id++) if (directory.partitionOf(id) == partition) local[i++] = id;
        this.next = new MinHeap(count);
        this.held = new List[count];
    }

    static Behavior<Command> create(int partition, Assembly assembly, Directory directory,
                                    int[] sendsTo, int receivesFrom, ActorRef<WindowRoot.Command> root) {
        return Behaviors.setup(ctx -> {
            NodeSync sync = new NodeSync(ctx, partition, assembly, directory, sendsTo, receivesFrom, root);
            return Behaviors.receiveMessage(sync::onCommand);
        });
    }

    private Behavior<Command> onCommand(Command command) {
        switch (command) {
            case Peers p -> startComponents(p);
            case Open o -> { open = o; tryBegin(); }
            case Batch b -> { batches.computeIfAbsent(b.window(), w -> new ArrayList<>()).add(b); tryBegin(); }
            case Done d -> onDone(d);
            case Failed f -> root.tell(new WindowRoot.PartitionFailed(partition, f.message(), f.cause()));
            case Finish f -> collect(f);
            case Collected c -> onCollected(c);
        }
        return Behaviors.same();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void startComponents(Peers p) {
        peers = p.byPartition();
        for (int id : local) {
            Assembly.Node node = assembly.node(id);
            Component<?> component = node.factory().get();
            if (!component.ports().equals(node.ports())) {
                // the wiring was checked against the declared ports; the component must use those
                root.tell(new WindowRoot.PartitionFailed(partition, node.label() + ": the component's ports " + component.ports()
                        + " differ from those it was wired with " + node.ports(), null));
                return;
            }
            ActorRef<ComponentActor.Command> ref = context.spawn(
                    ComponentActor.create(id, node.label(), (Component) component, assembly.channels(id),
                            context.getSelf(), assembly.seed()),
                    "c" + id);
            directory.register(id, ref);
        }
        awaiting = local.length;
        if (awaiting == 0) finishWindow();
    }

    private void tryBegin() {
        if (open == null || open.window() != window + 1) return;
        List<Batch> inputs = batches.getOrDefault(window, List.of());
        if (inputs.size() < receivesFrom) return;
        batches.remove(window);
        for (Batch b : inputs) {
            for (Event e : b.events()) hold(e);
        }
        window = open.window();
        long end = open.endPs();
        open = null;
        int started = 0;
        while (!next.isEmpty() && next.minKey() < end) {
            int i = next.poll();
            List<Event> events = held[i] == null ? List.of() : held[i];
            held[i] = null;
            directory.ref(local[i]).tell(new ComponentActor.Start(window, end, events));
            started++;
        }
        awaiting = started;
        if (awaiting == 0) finishWindow();
    }

    /** Keeps an event for a component of this partition until that component is next started. */
    private void hold(Event e) {
        int i = directory.localIndex(e.target());
        if (held[i] == null) held[i] = new ArrayList<>(4);
        held[i].add(e);
        next.lower(i, e.time());
    }

    private void onDone(Done d) {
        // The component was taken out of the heap when started; anything already there for it is
        // held from components that sent to it during this window, so merge with min, never overwrite.
        next.lower(directory.localIndex(d.component()), d.nextPs());
        for (Event e : d.sent()) {
            int q = directory.partitionOf(e.target());
            if (q == partition) {
                hold(e);
            } else {
                outgoing.computeIfAbsent(q, x -> new ArrayList<>()).add(e);
                minSent = Math.min(minSent, e.time());
            }
        }
        windowEvents += d.events();
        windowLast = Math.max(windowLast, d.lastPs());
        if (--awaiting == 0) finishWindow();
    }

    private void finishWindow() {
        for (int q : sendsTo) {
            List<Event> events = outgoing.remove(q);
            peers.get(q).tell(new Batch(partition, window, events == null ? List.of() : events));
        }
        root.tell(new WindowRoot.Report(partition, window, Math.min(next.minKey(), minSent), windowEvents, windowLast));
        minSent = Time.NEVER;
        windowEvents = 0;
        windowLast = -1;
    }

    private void collect(Finish f) {
        awaiting = local.length;
        for (int id : local) directory.ref(id).tell(new ComponentActor.Collect(f.endPs()));
        if (awaiting == 0) root.tell(new WindowRoot.PartitionFinished(partition, List.of()));
    }

    private void onCollected(Collected c) {
        reports.add(c.report());
        if (--awaiting == 0) root.tell(new WindowRoot.PartitionFinished(partition, List.copyOf(reports)));
    }
}
