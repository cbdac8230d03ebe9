package org.meshemu.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Drives the components of one partition through epochs, in local windows of its own, and carries
 * the events that leave the partition.
 *
 * <p>Epoch k is [start, start + W_cross), W_cross the minimum latency of the channels between
 * partitions: nothing sent to another partition in epoch k is due in it, so inside an epoch a
 * partition needs nobody else. At the end of an epoch every partition sends every other one
 * {@link Batch}es: the events it emitted for it, and, on the last batch, the earliest time anything
 * it holds or sent is due and the latest time it has handled. Once a partition has the last batch of
 * epoch k from every other one, it knows what they all know: the next epoch starts at the earliest
 * of those times (so empty simulated time is skipped), or the run is over if there is none. Every
 * partition computes the same start from the same figures, so they agree without a coordinator, and
 * an epoch costs one message hop, not a round trip through a root.
 *
 * <p>Inside the epoch it runs local windows [t, t + W_local), t the earliest pending event here
 * (windows are aligned to multiples of W_local, so their components can be kept in buckets) and
 * W_local the minimum latency of the channels inside the partition: it sends
 * {@link ComponentActor.Start} only to the components due in the window, and the last of them to
 * finish tells it {@link WindowDone}. It then reads what they sent and their next event times, so
 * every window costs in proportion to the components active in it.
 *
 * <p>The {@link WindowRoot} only spawns or learns of the partitions, hears their progress, and
 * gathers their reports at the end.
 */
public final class NodeSync {
    /** The pseudo-epoch in which components start up and announce their first event. */
    static final long STARTUP_EPOCH = -1;
    /** Local windows between two progress messages to the root, at most. */
    private static final int PROGRESS_WINDOWS = 4096;
    /** Wall time between two progress messages to the root, at most (observers want a steady pulse). */
    private static final long PROGRESS_NANOS = 100_000_000L;
    /** Events per batch message at most: a long epoch's traffic goes as several, so no message outgrows a network frame. */
    static final int BATCH_EVENTS = 4096;
    /** Bytes of component records per checkpoint part at most, for the same reason. */
    static final int CHECKPOINT_PART_BYTES = 4 << 20;
    /** The configuration path of the stall timeout ({@link #checkStalled}; 0 turns the check off). */
    static final String STALL_TIMEOUT = "meshemu.kernel.stall-timeout";

    /** The stall timeout {@code system} is configured with, in nanoseconds (0: no check); the watchdogs take it too. */
    static long stallNanos(org.apache.pekko.actor.typed.ActorSystem<?> system) {
        return system.settings().config().getDuration(STALL_TIMEOUT).toNanos();
    }
    /**
     * From this many components a partition warms a window's components before it starts them
     * ({@link ComponentActor#warm}). Fewer keep their kernel objects (about 1 KB each) in the
     * caches, and the pass costs what it cannot save: an 8 x 8 vc mesh (128 components) ran 6%
     * slower with it (docs/PERFORMANCE.md).
     */
    static final int WARM_FROM_COMPONENTS = 2_048;
    /**
     * Components warmed and then told at a time: in a window of a thousand or more, warmed whole,
     * the first warmed had left the second-level cache (512 KiB a core on this machine class) before
     * their tells; in runs of 64 a dense 64 x 64 run took 6% less (median of six pairs) and a
     * wafer-scale GEMV 11% less, a weaker result (docs/PERFORMANCE.md).
     */
    private static final int WARM_CHUNK = 64;

    /** Whether a partition of {@code components} components warms its windows' components. */
    static boolean warms(int components) { return components >= WARM_FROM_COMPONENTS; }
    /** Wall time between two stall checks, at most. */
    private static final long STALL_CHECK_NANOS = 10_000_000_000L;

    /** The protocol of a NodeSync. */
    public sealed interface Command permits Peers, Spawned, WindowDone, Batch, Failed, Collected, StallCheck {}

    /** The NodeSync of every partition, by partition number; sent once before anything else. */
    public record Peers(List<ActorRef<Command>> byPartition) implements Command {}

    /** A block of {@code count} components has been created, started up and spawned. */
    public record Spawned(int count) implements Command, NoSerializationVerificationNeeded {}

    /** The last component started in the current local window has finished it. */
    public record WindowDone() implements Command, NoSerializationVerificationNeeded {
        static final WindowDone INSTANCE = new WindowDone();
    }

    /**
     * Events partition {@code from} emitted in {@code epoch} for components of this partition. The
     * epoch's events from one partition come as one or more batches; the last one is marked
     * {@code last} and carries the sender's {@code nextPs} (the earliest event it holds or sent
     * anywhere, {@link Time#NEVER} if none) and {@code lastPs} (the latest time it has handled, -1 if
     * none), and {@code checkpoint}: whether the sender asks for a checkpoint at this barrier
     * ({@link Checkpointing}). {@code wireBytes} is the batch's serialised size when it came from
     * another JVM, else 0.
     */
    public record Batch(int from, long epoch, List<Event> events, boolean last, long nextPs, long lastPs, boolean checkpoint,
                        int wireBytes) implements Command {}

    /** A component failed; the run ends with this message. */
    public record Failed(String message, Throwable cause) implements Command, NoSerializationVerificationNeeded {
        /** The failure {@code where} (a component and a time) threw {@code cause}, with the cause's message or, if none, its class. */
        static Failed of(String where, Throwable cause) {
            if (cause instanceof OutOfMemoryError) HeapGuard.releaseReserve();
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return new Failed(where + ": " + why, cause);
        }
    }

    /** Reports of a block of components, after the last epoch. */
    public record Collected(List<ComponentReport> reports) implements Command, NoSerializationVerificationNeeded {}

    /** Time to look whether the partition is getting on ({@link #checkStalled}); from this NodeSync's own timer. */
    public record StallCheck() implements Command, NoSerializationVerificationNeeded {
        static final StallCheck INSTANCE = new StallCheck();
    }

    /** What the partitions told each other about one epoch: the earliest next time and the latest handled time. */
    private static final class Exchange {
        int complete; // partitions whose last batch of the epoch is here
        long nextPs = Time.NEVER;
        long lastPs = -1;
        boolean checkpoint; // some partition asked for one
        final List<Batch> batches = new ArrayList<>();
    }

    private final int index;
    private final int partitions;
    private final Directory directory;
    private final ActorRef<WindowRoot.Command> root;
    private final ActorContext<Command> context;
    private final Partition partition;
    private final int[] local; // component ids hosted here, by local index
    private final WindowCalendar next; // local index -> earliest pending event
    private final List<ActorRef<ComponentBlock.Command>> blocks = new ArrayList<>();

    private List<ActorRef<Command>> peers = List.of();
    private long epoch;
    private long epochEndPs;
    private final long crossWindowPs;
    private int awaiting;
    private final Map<Long, Exchange> exchanges = new HashMap<>();
    private final List<Event>[] outgoing; // by partition
    private long minSent = Time.NEVER;
    private int[] started = new int[16];
    private int startedCount;
    private long lastPs; // the latest time handled here
    // counted since the last Progress to the root
    private long events;
    private long windows;
    private long progressNanos = System.nanoTime();
    private List<ComponentReport> reports = new ArrayList<>();
    // exchange figures for the run's end (PartitionStats); the wait between epochs and the bytes received are the probe's
    private final long[] eventsSentTo;
    private long epochEndedNanos;
    // checkpoints: local windows since the last one; events and windows since this run (or resume) started
    private final int checkpointEvery;
    private long windowsSinceCheckpoint;
    private long totalEvents;
    private long totalWindows;
    private ComponentState stateWriter; // created at the first checkpoint
    // the stall check (wall clock only, never read by the protocol): the commands handled (the pulse's
    // count) at its last look, and since when none
    private final long stallNanos;
    private long activitySeen;
    private long quietSinceNanos = System.nanoTime();
    private long windowEndPs; // the end of the current local window
    private int warmReads; // what the components' warm() read, kept so that the reads are made
    private final boolean warmsWindows; // whether this partition warms a window's components before it starts them
    // observation only: never read by the protocol
    private final RunObserver observer;
    private final ComponentProbe probe;
    private final Pulse pulse; // the commands handled, which the stall check and a watchdog outside the actor threads read

    @SuppressWarnings("unchecked")
    private NodeSync(ActorContext<Command> context, int index, Directory directory, int[] local, long localWindowPs,
                     long crossWindowPs, int partitions, ActorRef<WindowRoot.Command> root, RunObserver observer,
                     Checkpointing checkpointing, String dispatcher, Pulse pulse) {
        this.context = context;
        this.pulse = pulse;
        this.index = index;
        this.partitions = partitions;
        this.directory = directory;
        this.local = local;
        this.root = root;
        this.crossWindowPs = crossWindowPs;
        this.observer = observer;
        this.partition = new Partition(index, directory, context.getSelf(), dispatcher, local.length);
        this.next = new WindowCalendar(local.length, localWindowPs);
        this.warmsWindows = warms(local.length);
        this.outgoing = new List[partitions];
        this.eventsSentTo = new long[partitions];
        this.probe = new ComponentProbe(index, directory, local, eventsSentTo);
        for (int q = 0; q < partitions; q++) outgoing[q] = new ArrayList<>();
        this.checkpointEvery = checkpointing.everyWindows();
        // a fresh run starts with the start-up epoch; a resumed one with the epoch of its checkpoint's barrier
        Checkpointing.SoFar from = checkpointing.resume() == null ? Checkpointing.SoFar.START : checkpointing.resume().soFar();
        this.epoch = from.epochs() + STARTUP_EPOCH;
        this.lastPs = from.lastPs();
        this.stallNanos = stallNanos(context.getSystem());
    }

    static Behavior<Command> create(int index, Directory directory, int[] local, long localWindowPs, long crossWindowPs,
                                    int partitions, ActorRef<WindowRoot.Command> root, RunObserver observer,
                                    Checkpointing checkpointing, String dispatcher, Pulse pulse) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            NodeSync sync = new NodeSync(ctx, index, directory, local, localWindowPs, crossWindowPs, partitions, root, observer,
                    checkpointing, dispatcher, pulse);
            if (sync.stallNanos > 0) {
                timers.startTimerWithFixedDelay(StallCheck.INSTANCE, StallCheck.INSTANCE,
                        java.time.Duration.ofNanos(Math.min(sync.stallNanos / 4, STALL_CHECK_NANOS)));
            }
            return Behaviors.receiveMessage(sync::onCommand);
        }));
    }

    private Behavior<Command> onCommand(Command command) {
        try {
            return handle(command);
        } catch (OutOfMemoryError e) { // the run fails with a message rather than through Pekko's fatal-error path
            HeapGuard.releaseReserve();
            root.tell(new WindowRoot.PartitionFailed(index, "partition " + index + " ran out of memory", e));
            return Behaviors.stopped();
        } catch (RuntimeException e) { // a kernel fault: the run fails saying so rather than waiting for this partition
            root.tell(new WindowRoot.PartitionFailed(index, "partition " + index + ": internal error: " + e, e));
            return Behaviors.stopped();
        }
    }

    private Behavior<Command> handle(Command command) {
        if (!(command instanceof StallCheck)) pulse.beat(index);
        switch (command) {
            case Peers p -> spawnBlocks(p);
            case Spawned s -> onSpawned(s);
            case Batch b -> onBatch(b);
            case WindowDone d -> onWindowDone();
            case Failed f -> root.tell(new WindowRoot.PartitionFailed(index, f.message(), f.cause()));
            case Collected c -> { return onCollected(c); }
            case StallCheck c -> checkStalled();
        }
        return Behaviors.same();
    }

    private void spawnBlocks(Peers p) {
        peers = p.byPartition();
        awaiting = local.length;
        var onDispatcher = org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(partition.dispatcher);
        for (int from = 0; from < local.length; from += ComponentBlock.SIZE) {
            int[] ids = Arrays.copyOfRange(local, from, Math.min(local.length, from + ComponentBlock.SIZE));
            blocks.add(context.spawn(ComponentBlock.create(ids, partition), "block-" + blocks.size(), onDispatcher));
        }
        if (awaiting == 0) started();
    }

    private void onSpawned(Spawned s) {
        awaiting -= s.count();
        if (awaiting > 0) return;
        Failed failure = partition.failure();
        if (failure != null) {
            root.tell(new WindowRoot.PartitionFailed(index, failure.message(), failure.cause()));
            return;
        }
        // Only components whose start() scheduled something enter the calendar; the rest cost nothing until an event reaches them.
        for (int i = 0; i < local.length; i++) {
            ComponentActor<?> host = directory.host(local[i]);
            next.lower(i, host.next);
        }
        observer.atBarrier(probe);
        started();
    }

    private void started() {
        root.tell(new WindowRoot.Started(index, WindowRoot.wallMicros()));
        endEpoch();
    }

    private void onBatch(Batch b) {
        Exchange x = exchanges.computeIfAbsent(b.epoch(), e -> new Exchange());
        x.batches.add(b);
        if (b.last()) {
            x.complete++;
            x.nextPs = Math.min(x.nextPs, b.nextPs());
            x.lastPs = Math.max(x.lastPs, b.lastPs());
            x.checkpoint |= b.checkpoint();
        }
        probe.received(b.from(), b.events().size(), b.wireBytes());
        tryAdvance();
    }

    /** Once every partition's last batch of the current epoch is here (this one's included), start the next epoch or finish. */
    private void tryAdvance() {
        Exchange x = exchanges.get(epoch);
        if (x == null || x.complete < partitions) return;
        exchanges.remove(epoch);
        probe.barrierWaitNanos += System.nanoTime() - epochEndedNanos;
        for (Batch b : x.batches) {
            for (Event e : b.events()) {
                int targetIndex = directory.localIndex(e.target());
                partition.push(targetIndex, e);
                next.lower(targetIndex, e.time());
            }
        }
        if (x.nextPs == Time.NEVER) {
            collect(x.lastPs);
            return;
        }
        if (x.checkpoint && !checkpoint(x.lastPs)) return;
        epoch++;
        epochEndPs = Time.plus(x.nextPs, crossWindowPs);
        nextWindow();
    }

    /** Starts the next local window of the epoch, or ends the epoch if nothing here is due in it. */
    private void nextWindow() {
        if (checkpointDue()) { // cut the epoch short here: the checkpoint is taken at its barrier
            endEpoch();
            return;
        }
        WindowCalendar.Taken taken = next.take(epochEndPs, started);
        if (taken.count() == 0) {
            endEpoch();
            return;
        }
        started = taken.ids();
        startedCount = taken.count();
        // Set before the first Start: a component may finish before the last one is told.
        partition.running.set(startedCount);
        windowEndPs = taken.endPs();
        ComponentActor.Start start = new ComponentActor.Start(taken.endPs());
        boolean warm = warmsWindows && startedCount > 1;
        int sum = 0;
        for (int from = 0; from < startedCount; from += WARM_CHUNK) {
            int to = Math.min(startedCount, from + WARM_CHUNK);
            if (warm) { // their first touches overlap here instead of coming one after another in the tells and runs
                for (int s = from; s < to; s++) sum += directory.host(local[started[s]]).warm();
            }
            for (int s = from; s < to; s++) directory.host(local[started[s]]).actor.tell(start, org.apache.pekko.actor.ActorRef.noSender());
        }
        warmReads = sum;
        windows++;
        totalWindows++;
        windowsSinceCheckpoint++;
    }

    private void onWindowDone() {
        // Merges with min, never overwrites: the calendar is the same whatever thread ran what, in whatever order.
        for (WindowLog log : partition.windowLogs()) {
            long[] due = log.due;
            for (int k = 0; k < log.dueCount; k++) next.lower((int) due[2 * k], due[2 * k + 1]);
            for (int k = 0; k < log.awayCount; k++) {
                Event e = log.away[k];
                int q = directory.partitionOf(e.target());
                outgoing[q].add(e);
                eventsSentTo[q]++;
                minSent = Math.min(minSent, e.time());
            }
            lastPs = Math.max(lastPs, log.lastPs);
            events += log.handled;
            totalEvents += log.handled;
            log.clear();
        }
        Failed failure = partition.failure();
        if (failure != null) {
            root.tell(new WindowRoot.PartitionFailed(index, failure.message(), failure.cause()));
            return;
        }
        if (windows >= PROGRESS_WINDOWS) progress(epoch);
        probe.progress(windows, events, lastPs);
        observer.atBarrier(probe);
        nextWindow();
    }

    /**
     * Fails the run if the partition has handled nothing for the stall timeout while it waits for
     * its components (to finish a window, or to be created) and no thread is running a component:
     * they will then never answer, a lost message or a kernel fault. A component handling one long
     * event is work, not a stall. Waiting for other partitions' batches is never a stall here: their
     * own checks report them.
     */
    private void checkStalled() {
        long activity = pulse.count(index);
        if (activity != activitySeen) {
            activitySeen = activity;
            quietSinceNanos = System.nanoTime();
            return;
        }
        long quietNanos = System.nanoTime() - quietSinceNanos;
        boolean spawning = epoch == STARTUP_EPOCH && awaiting > 0;
        int running = partition.running.get();
        if (quietNanos < stallNanos || (running == 0 && !spawning) || componentsAtWork()) return;
        StringBuilder why = new StringBuilder("partition " + index + " stalled: nothing handled for "
                + quietNanos / 1_000_000_000L + " s and no thread runs a component; ");
        if (spawning) {
            why.append("waiting for ").append(awaiting).append(" of ").append(local.length).append(" components to be created");
        } else {
            List<String> notRun = new ArrayList<>();
            for (int s = 0; s < startedCount; s++) {
                ComponentActor<?> host = directory.host(local[started[s]]);
                if (host.lastEndPs != windowEndPs && notRun.size() < 8) notRun.add(directory.label(local[started[s]]));
            }
            why.append("the window ending at ").append(windowEndPs).append(" ps waits for ").append(running)
                    .append(" of ").append(startedCount).append(" started components; never run: ")
                    .append(notRun.isEmpty() ? "none" : String.join(", ", notRun));
        }
        why.append(" (a kernel fault: please report it with this message)");
        pulse.beat(index); // said once
        root.tell(new WindowRoot.PartitionFailed(index, why.toString(), null));
    }

    /** Whether some thread of this JVM is running a component's window or creating components (a thread dump: only when a stall is suspected). */
    private static boolean componentsAtWork() {
        return Watchdog.anyOtherThread(frame -> frame.getClassName().equals(ComponentActor.class.getName())
                && frame.getMethodName().equals("runWindow") || frame.getClassName().equals(ComponentBlock.class.getName()));
    }

    /** Tells the root the counts since the last progress, and the epochs this partition has completed. */
    private void progress(long completedEpochs) {
        root.tell(new WindowRoot.Progress(index, completedEpochs, windows, events, lastPs));
        probe.reported(windows, events);
        windows = 0;
        events = 0;
        progressNanos = System.nanoTime();
    }

    /** Sends every other partition this epoch's batches (at least one, the last with this partition's times). */
    private void endEpoch() {
        long nextPs = Math.min(next.minTime(), minSent);
        for (int q = 0; q < partitions; q++) {
            if (q == index) continue;
            List<Event> out = outgoing[q];
            int parts = Math.max(1, (out.size() + BATCH_EVENTS - 1) / BATCH_EVENTS);
            for (int k = 0; k < parts; k++) {
                List<Event> part = out.isEmpty() ? List.of()
                        : parts == 1 ? out : out.subList(k * BATCH_EVENTS, Math.min(out.size(), (k + 1) * BATCH_EVENTS));
                peers.get(q).tell(new Batch(index, epoch, part, k == parts - 1, nextPs, lastPs, checkpointDue(), 0));
            }
            if (!out.isEmpty()) outgoing[q] = new ArrayList<>();
        }
        minSent = Time.NEVER;
        if (System.nanoTime() - progressNanos >= PROGRESS_NANOS) progress(epoch + 1);
        epochEndedNanos = System.nanoTime();
        onBatch(new Batch(index, epoch, List.of(), true, nextPs, lastPs, checkpointDue(), 0)); // this partition's own part of the exchange
    }

    private boolean checkpointDue() {
        return checkpointEvery > 0 && windowsSinceCheckpoint >= checkpointEvery;
    }

    /**
     * Sends the root this partition's state at the barrier after the current epoch, in parts of
     * whole component records; false if a component's state cannot be written (the run then fails).
     */
    private boolean checkpoint(long globalLastPs) {
        long began = System.nanoTime();
        if (stateWriter == null) stateWriter = new ComponentState();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        DataOutputStream records = new DataOutputStream(bytes);
        try {
            for (int id : local) {
                stateWriter.write(directory.host(id), directory.label(id), records);
                if (bytes.size() >= CHECKPOINT_PART_BYTES) {
                    root.tell(new WindowRoot.CheckpointPart(index, epoch, bytes.toByteArray(), null));
                    bytes.reset();
                }
            }
        } catch (IllegalStateException e) {
            root.tell(new WindowRoot.PartitionFailed(index, "checkpoint at epoch " + epoch + ": " + e.getMessage(), e));
            return false;
        }
        windowsSinceCheckpoint = 0;
        root.tell(new WindowRoot.CheckpointPart(index, epoch, bytes.toByteArray(),
                new WindowRoot.PartitionSoFar(totalEvents, totalWindows, globalLastPs, System.nanoTime() - began)));
        return true;
    }

    private void collect(long endPs) {
        awaiting = blocks.size();
        for (ActorRef<ComponentBlock.Command> b : blocks) b.tell(new ComponentBlock.Collect(endPs));
        if (awaiting == 0) finished();
    }

    private Behavior<Command> onCollected(Collected c) {
        reports.addAll(c.reports());
        if (--awaiting > 0) return Behaviors.same();
        finished();
        // It stays: stopping a partition's actors takes Pekko a while (each of a block's children is
        // looked up by name as it terminates), and other partitions on these threads may still be
        // collecting their reports. Its parent stops it once the run has ended: the root in one JVM
        // (unless the process's exit is left to end the actors, Engine), a node's run once the root
        // has gone in a cluster.
        return Behaviors.same();
    }

    private void finished() {
        progress(epoch + 1);
        observer.partitionFinished(probe);
        root.tell(new WindowRoot.PartitionFinished(index, List.copyOf(reports),
                new PartitionStats(index, epoch + 1, eventsSentTo.clone(), probe.barrierWaitNanos, probe.wireBytesFrom(),
                        probe.windows(), probe.events())));
        // the partition stays until its parent stops it and need not hold them (a bank's written tiles
        // among them): on a cluster's node nothing else does
        reports = new ArrayList<>();
        partition.releaseWindowLogs();
    }
}
