package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of a run: it learns where every partition's {@link NodeSync} is (spawning them itself
 * in one JVM) and introduces them to each other, hears their progress for the {@link RunObserver},
 * and gathers their reports into the {@link RunResult}. It is not on the path of an epoch: the
 * partitions agree on every epoch among themselves (see {@link NodeSync}).
 */
public final class WindowRoot {

    /** The protocol of the root. */
    public sealed interface Command permits Hosted, Started, Progress, Sampled, CheckpointPart, PartitionFailed,
            PartitionFinished, HostLost {}

    /** Partition {@code partition}'s NodeSync is spawned (wherever it lives) and waits for its peers. */
    public record Hosted(int partition, ActorRef<NodeSync.Command> sync) implements Command {}

    /**
     * Every component of the partition is created, started up and spawned; the partition began its
     * first epoch at {@code atMicros} ({@link #wallMicros}). The root takes that time, not the time it
     * reads this message: it shares the dispatcher with the components, so its mailbox may wait
     * behind a whole window of them (a 256 x 256 GEMV's first windows: a second).
     */
    public record Started(int partition, long atMicros) implements Command {}

    /**
     * A partition's counts since its last progress message: local windows, events handled, and the
     * latest time handled, with the number of epochs it has completed.
     */
    public record Progress(int partition, long epochs, long windows, long events, long lastPs) implements Command {}

    /** A node sampled one of its partitions for the launcher's observer ({@link RunObserver#remoteSampleNanos}). */
    public record Sampled(PartitionSample sample) implements Command {}

    /**
     * Component records of a partition at the barrier after {@code epoch}, for the
     * {@link CheckpointSink}; the partition's last part carries its figures {@code soFar}, the
     * others null.
     */
    public record CheckpointPart(int partition, long epoch, byte[] records, PartitionSoFar soFar) implements Command {}

    /**
     * A partition's figures at a checkpoint: events and local windows since the run (or resume)
     * started, the latest time handled anywhere, and its time spent writing its state.
     */
    public record PartitionSoFar(long events, long windows, long lastPs, long serialiseNanos) {}

    /** A component of the partition failed. */
    public record PartitionFailed(int partition, String message, Throwable cause) implements Command {}

    /** A partition's component reports and its own figures after the last epoch (its last progress came just before). */
    public record PartitionFinished(int partition, List<ComponentReport> reports, PartitionStats stats) implements Command {}

    /** A JVM hosting partitions left the run (it died or became unreachable): the run ends. */
    public record HostLost(String host) implements Command {}

    private final Assembly assembly;
    private final boolean stopWhenDone; // false: the run's actors stay once it has ended (Engine)
    private final CompletableFuture<RunResult> result;
    private final RunObserver observer;
    private final List<ActorRef<NodeSync.Command>> syncs;
    private final long[] epochsOf; // epochs each partition has completed, as of its last progress
    private final PartitionStats[] stats;
    private final List<ComponentReport> reports = new ArrayList<>();
    private int hosted;
    private int started;
    private int finished;
    private long events;
    private long lastPs;
    private long windows;
    private final long wallStartMicros = wallMicros(); // wall clock for the report only, never for simulated time
    private long startupNanos;
    private long epochsStartMicros; // when the last partition began its first epoch
    // checkpoints: the figures a resumed run started from, and the partitions' parts of each barrier so far
    private final CheckpointSink sink;
    private final Checkpointing.SoFar base;
    private final java.util.Map<Long, Barrier> barriers = new java.util.HashMap<>();

    /** The partitions' last parts of one checkpoint so far: how many, their figures summed, the slowest writer. */
    private static final class Barrier {
        int partitions;
        long events, windows, lastPs = -1, serialiseNanos;
    }

    private WindowRoot(Assembly assembly, int partitions, CompletableFuture<RunResult> result, RunObserver observer,
                       Checkpointing checkpointing, boolean stopWhenDone) {
        this.assembly = assembly;
        this.stopWhenDone = stopWhenDone;
        this.result = result;
        this.observer = observer;
        this.sink = checkpointing.sink();
        this.base = checkpointing.resume() == null ? Checkpointing.SoFar.START : checkpointing.resume().soFar();
        this.events = base.events();
        this.windows = base.windows();
        this.lastPs = base.lastPs();
        this.syncs = new ArrayList<>(Collections.nCopies(partitions, null));
        this.epochsOf = new long[partitions];
        this.stats = new PartitionStats[partitions];
    }

    /**
     * The wall clock in microseconds (the system clock, microsecond resolution on Linux), which
     * partitions and the root can compare even in different JVMs (to within the machines' clock
     * offset); for the report's wall figures only.
     */
    static long wallMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * The guardian behaviour of a run inside one JVM: spawns one NodeSync per partition, on the
     * dispatcher configured at {@code dispatcher}. With {@code stopWhenDone} the root stops once it
     * has every partition's report (after completing the result, so stopping the actors is not in
     * the run's wall time, though {@link Engine} still waits for it), and its partitions and their
     * components with it; without, they all stay (the process's exit ends them, {@link Engine}). The
     * partitions count the messages they handle in {@code pulse}.
     */
    static Behavior<Command> create(Assembly assembly, Placement placement, CompletableFuture<RunResult> result,
                                    RunObserver observer, Checkpointing checkpointing, String dispatcher, boolean stopWhenDone,
                                    Pulse pulse) {
        return Behaviors.setup(ctx -> {
            PartitionHost host = new PartitionHost(assembly, placement, checkpointing, dispatcher, pulse);
            WindowRoot root = new WindowRoot(assembly, placement.partitions(), result, observer, checkpointing, stopWhenDone);
            for (int p = 0; p < placement.partitions(); p++) {
                ctx.getSelf().tell(new Hosted(p, host.spawn(ctx, p, ctx.getSelf(), observer)));
            }
            return Behaviors.receiveMessage(root::onCommand);
        });
    }

    /**
     * The root of a run whose partitions live elsewhere (other JVMs of a cluster): it waits for a
     * {@link Hosted} from every partition, then runs as in one JVM.
     */
    public static Behavior<Command> awaitingHosts(Assembly assembly, Placement placement, CompletableFuture<RunResult> result,
                                                  RunObserver observer, Checkpointing checkpointing) {
        return Behaviors.setup(ctx -> {
            WindowRoot root = new WindowRoot(assembly, placement.partitions(), result, observer, checkpointing, true);
            return Behaviors.receiveMessage(root::onCommand);
        });
    }

    private Behavior<Command> onCommand(Command command) {
        try {
            return handle(command);
        } catch (OutOfMemoryError e) { // the run fails with a message rather than through Pekko's fatal-error path
            HeapGuard.releaseReserve();
            result.completeExceptionally(new EmulationException("the synchronisation root ran out of memory", e));
            return Behaviors.stopped();
        }
    }

    private Behavior<Command> handle(Command command) {
        switch (command) {
            case Hosted h -> {
                if (syncs.set(h.partition(), h.sync()) == null && ++hosted == syncs.size()) {
                    NodeSync.Peers peers = new NodeSync.Peers(List.copyOf(syncs));
                    for (ActorRef<NodeSync.Command> s : syncs) s.tell(peers);
                }
            }
            case Started s -> {
                epochsStartMicros = Math.max(epochsStartMicros, s.atMicros());
                if (++started == syncs.size()) {
                    startupNanos = 1000 * (epochsStartMicros - wallStartMicros);
                    observer.started(assembly.size(), startupNanos);
                }
            }
            case Progress p -> {
                windows += p.windows();
                events += p.events();
                lastPs = Math.max(lastPs, p.lastPs());
                epochsOf[p.partition()] = Math.max(epochsOf[p.partition()], p.epochs());
                observer.windowDone(windows, lastPs, events);
                observer.epochDone(java.util.Arrays.stream(epochsOf).min().orElse(0));
            }
            case CheckpointPart c -> onCheckpointPart(c);
            case Sampled s -> observer.sampled(s.sample());
            case PartitionFailed f -> {
                result.completeExceptionally(new EmulationException(f.message(), f.cause()));
                return Behaviors.stopped();
            }
            case PartitionFinished f -> {
                reports.addAll(f.reports());
                stats[f.partition()] = f.stats();
                if (++finished == syncs.size()) {
                    reports.sort(Comparator.comparingInt(ComponentReport::id));
                    result.complete(new RunResult(lastPs, events, windows, f.stats().epochs(), startupNanos,
                            1000 * (wallMicros() - epochsStartMicros), reports, List.of(stats)));
                    return stopWhenDone ? Behaviors.stopped() : Behaviors.same();
                }
            }
            case HostLost l -> {
                long completed = java.util.Arrays.stream(epochsOf).min().orElse(0);
                // before the first epoch the nodes are planning and building: a node that stops answering then is most
                // often one collecting garbage for long in a heap too small for the plan
                String hint = completed == 0 ? "; a node lost before the first epoch most often ran short of heap while planning"
                        + " (every node plans the whole run): give the nodes more with MESHEMU_JAVA_OPTS=-Xmx..." : "";
                result.completeExceptionally(new HostLostException("lost " + l.host() + "; every partition had completed "
                        + completed + " epochs (simulated time " + lastPs + " ps at the last progress); the run is incomplete" + hint));
                return Behaviors.stopped();
            }
        }
        return Behaviors.same();
    }

    /** Hands a part to the sink; once every partition's last part of a barrier is in, completes that checkpoint. */
    private void onCheckpointPart(CheckpointPart c) {
        sink.part(c.epoch(), c.partition(), c.records());
        PartitionSoFar p = c.soFar();
        if (p == null) return;
        Barrier b = barriers.computeIfAbsent(c.epoch(), e -> new Barrier());
        b.events += p.events();
        b.windows += p.windows();
        b.lastPs = Math.max(b.lastPs, p.lastPs());
        b.serialiseNanos = Math.max(b.serialiseNanos, p.serialiseNanos());
        if (++b.partitions == syncs.size()) {
            barriers.remove(c.epoch());
            sink.complete(c.epoch(), new Checkpointing.SoFar(c.epoch() + 1, base.events() + b.events, base.windows() + b.windows,
                    Math.max(base.lastPs(), b.lastPs)), b.serialiseNanos);
        }
    }
}
