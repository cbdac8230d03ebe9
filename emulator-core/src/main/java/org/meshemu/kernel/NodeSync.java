package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Drives the components of one partition through the epochs the {@link WindowRoot} opens, in
 * local windows of its own, and carries the events that leave the partition.
 *
 * <p>Epoch k is [start, start + W_cross), W_cross the minimum latency of the channels between
 * partitions: nothing sent to another partition in epoch k is due in it, so inside an epoch a
 * partition needs nobody else. The NodeSync starts epoch k once the root has opened it and every
 * partition that can send here has delivered its batch for epoch k-1 (exactly one batch per
 * sending partition per epoch, empty or not, so its arrival means "all your inputs are here").
 * Inside the epoch it runs local windows [t, t + W_local), t the earliest pending event here (windows are aligned to
 * multiples of W_local, so their components can be kept in buckets) and W_local the minimum latency of the channels inside the partition: it sends {@link
 * ComponentActor.Start} only to the components due in the window, and the last of them to finish
 * tells it {@link WindowDone}. It then reads what they sent and their next event times, so every
 * window costs in proportion to the components active in it. At the epoch's end it sends one
 * {@link Batch} to each partition it can send to and reports to the root the earliest time
 * anything here, or anything it sent away, is due.
 */
public final class NodeSync {
    /** The pseudo-epoch in which components start up and announce their first event. */
    static final long STARTUP_EPOCH = -1;
    /** Local windows between two progress messages to the root. */
    private static final int PROGRESS_WINDOWS = 4096;

    /** The protocol of a NodeSync. */
    public sealed interface Command permits Peers, Spawned, Open, WindowDone, Batch, Failed, Finish, Collected {}

    /** The NodeSync of every partition, by partition number; sent once before anything else. */
    public record Peers(List<ActorRef<Command>> byPartition) implements Command {}

    /** A block of {@code count} components has been created, started up and spawned. */
    public record Spawned(int count) implements Command {}

    /** The root opens epoch {@code epoch} = [startPs, endPs). */
    public record Open(long epoch, long startPs, long endPs) implements Command {}

    /** The last component started in the current local window has finished it. */
    public record WindowDone() implements Command {
        static final WindowDone INSTANCE = new WindowDone();
    }

    /** The events partition {@code from} emitted in {@code epoch} for components of this partition. */
    public record Batch(int from, long epoch, List<Event> events) implements Command {}

    /** A component failed; the run ends with this message. */
    public record Failed(String message, Throwable cause) implements Command {}

    /** No events remain: collect every component's report. */
    public record Finish(long endPs) implements Command {}

    /** Reports of a block of components, after the last epoch. */
    public record Collected(List<ComponentReport> reports) implements Command {}

    private final int index;
    private final Directory directory;
    private final ActorRef<WindowRoot.Command> root;
    private final int[] sendsTo;
    private final int receivesFrom;
    private final ActorContext<Command> context;
    private final Partition partition;
    private final int[] local; // component ids hosted here, by local index
    private final WindowCalendar next; // local index -> earliest pending event
    private final List<ActorRef<ComponentBlock.Command>> blocks = new ArrayList<>();

    private List<ActorRef<Command>> peers = List.of();
    private long epoch = STARTUP_EPOCH;
    private long epochEndPs;
    private Open open;
    private int awaiting;
    private final Map<Long, List<Batch>> batches = new HashMap<>();
    private final List<Event>[] outgoing; // by partition
    private long minSent = Time.NEVER;
    private int[] started = new int[16];
    private int startedCount;
    // counted since the last Report or Progress to the root
    private long events;
    private long lastPs = -1;
    private long windows;
    private final List<ComponentReport> reports = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private NodeSync(ActorContext<Command> context, int index, Directory directory, int[] local, int[] sendsTo,
                     int receivesFrom, long localWindowPs, int partitions, ActorRef<WindowRoot.Command> root) {
        this.context = context;
        this.index = index;
        this.directory = directory;
        this.local = local;
        this.sendsTo = sendsTo;
        this.receivesFrom = receivesFrom;
        this.root = root;
        this.partition = new Partition(index, directory, context.getSelf());
        this.next = new WindowCalendar(local.length, localWindowPs);
        this.outgoing = new List[partitions];
        for (int q : sendsTo) outgoing[q] = new ArrayList<>();
    }

    static Behavior<Command> create(int index, Directory directory, int[] local, int[] sendsTo, int receivesFrom,
                                    long localWindowPs, int partitions, ActorRef<WindowRoot.Command> root) {
        return Behaviors.setup(ctx -> {
            NodeSync sync = new NodeSync(ctx, index, directory, local, sendsTo, receivesFrom, localWindowPs, partitions, root);
            return Behaviors.receiveMessage(sync::onCommand);
        });
    }

    private Behavior<Command> onCommand(Command command) {
        try {
            return handle(command);
        } catch (OutOfMemoryError e) { // the run fails with a message rather than through Pekko's fatal-error path
            HeapGuard.releaseReserve();
            root.tell(new WindowRoot.PartitionFailed(index, "partition " + index + " ran out of memory", e));
            return Behaviors.stopped();
        }
    }

    private Behavior<Command> handle(Command command) {
        switch (command) {
            case Peers p -> spawnBlocks(p);
            case Spawned s -> onSpawned(s);
            case Open o -> { open = o; tryBegin(); }
            case Batch b -> { batches.computeIfAbsent(b.epoch(), w -> new ArrayList<>()).add(b); tryBegin(); }
            case WindowDone d -> onWindowDone();
            case Failed f -> root.tell(new WindowRoot.PartitionFailed(index, f.message(), f.cause()));
            case Finish f -> collect(f);
            case Collected c -> onCollected(c);
        }
        return Behaviors.same();
    }

    private void spawnBlocks(Peers p) {
        peers = p.byPartition();
        awaiting = local.length;
        for (int from = 0; from < local.length; from += ComponentBlock.SIZE) {
            int[] ids = Arrays.copyOfRange(local, from, Math.min(local.length, from + ComponentBlock.SIZE));
            blocks.add(context.spawn(ComponentBlock.create(ids, partition), "block-" + blocks.size()));
        }
        if (awaiting == 0) endEpoch();
    }

    private void onSpawned(Spawned s) {
        awaiting -= s.count();
        if (awaiting > 0) return;
        Failed failure = partition.failure();
        if (failure != null) {
            root.tell(new WindowRoot.PartitionFailed(index, failure.message(), failure.cause()));
            return;
        }
        // Only components whose start() scheduled something enter the heap; the rest cost nothing until an event reaches them.
        for (int i = 0; i < local.length; i++) {
            ComponentActor<?> host = directory.host(local[i]);
            next.lower(i, host.next);
        }
        endEpoch();
    }

    private void tryBegin() {
        if (open == null || open.epoch() != epoch + 1) return;
        List<Batch> inputs = batches.getOrDefault(epoch, List.of());
        if (inputs.size() < receivesFrom) return;
        batches.remove(epoch);
        for (Batch b : inputs) {
            for (Event e : b.events()) {
                directory.host(e.target()).push(e);
                next.lower(directory.localIndex(e.target()), e.time());
            }
        }
        epoch = open.epoch();
        epochEndPs = open.endPs();
        open = null;
        nextWindow();
    }

    /** Starts the next local window of the epoch, or ends the epoch if nothing here is due in it. */
    private void nextWindow() {
        WindowCalendar.Taken taken = next.take(epochEndPs, started);
        if (taken.count() == 0) {
            endEpoch();
            return;
        }
        started = taken.ids();
        startedCount = taken.count();
        // Set before the first Start: a component may finish before the last one is told.
        partition.running.set(startedCount);
        ComponentActor.Start start = new ComponentActor.Start(taken.endPs());
        for (int s = 0; s < startedCount; s++) directory.host(local[started[s]]).actor.tell(start, org.apache.pekko.actor.ActorRef.noSender());
        windows++;
    }

    private void onWindowDone() {
        for (int s = 0; s < startedCount; s++) {
            ComponentActor<?> host = directory.host(local[started[s]]);
            // Merge with min, never overwrite: the heap may already hold an event sent to it in this window.
            next.lower(started[s], host.next);
            for (int k = 0; k < host.sentCount; k++) {
                Event e = host.sent[k];
                host.sent[k] = null;
                int q = directory.partitionOf(e.target());
                if (q == index) {
                    next.lower(directory.localIndex(e.target()), e.time());
                } else {
                    outgoing[q].add(e);
                    minSent = Math.min(minSent, e.time());
                }
            }
            host.sentCount = 0;
            if (host.handled > 0) lastPs = Math.max(lastPs, host.now());
            events += host.handled;
            host.handled = 0;
        }
        Failed failure = partition.failure();
        if (failure != null) {
            root.tell(new WindowRoot.PartitionFailed(index, failure.message(), failure.cause()));
            return;
        }
        if (windows >= PROGRESS_WINDOWS) {
            root.tell(new WindowRoot.Progress(windows, events, lastPs));
            windows = 0;
            events = 0;
        }
        nextWindow();
    }

    private void endEpoch() {
        for (int q : sendsTo) {
            List<Event> out = outgoing[q];
            peers.get(q).tell(new Batch(index, epoch, out.isEmpty() ? List.of() : out));
            if (!out.isEmpty()) outgoing[q] = new ArrayList<>();
        }
        root.tell(new WindowRoot.Report(index, epoch, Math.min(next.minTime(), minSent), windows, events, lastPs));
        minSent = Time.NEVER;
        windows = 0;
        events = 0;
    }

    private void collect(Finish f) {
        awaiting = blocks.size();
        for (ActorRef<ComponentBlock.Command> b : blocks) b.tell(new ComponentBlock.Collect(f.endPs()));
        if (awaiting == 0) root.tell(new WindowRoot.PartitionFinished(index, List.of()));
    }

    private void onCollected(Collected c) {
        reports.addAll(c.reports());
        if (--awaiting == 0) root.tell(new WindowRoot.PartitionFinished(index, List.copyOf(reports)));
    }
}
