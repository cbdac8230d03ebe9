package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of the synchronisation protocol: it collects every partition's earliest pending time
 * (including what the partition sent to others) and opens the next epoch at the global minimum, so
 * empty simulated time is skipped. An epoch lasts W_cross, the minimum latency of the channels
 * between partitions (for ever, with one partition): the root is asked once per epoch, never per
 * local window. When nothing is pending anywhere it collects the reports and completes the run.
 */
public final class WindowRoot {

    /** The protocol of the root. */
    public sealed interface Command permits Hosted, Report, Progress, PartitionFailed, PartitionFinished, HostLost {}

    /** Partition {@code partition}'s NodeSync is spawned (wherever it lives) and waits for its peers. */
    public record Hosted(int partition, ActorRef<NodeSync.Command> sync) implements Command {}

    /**
     * A partition finished {@code epoch}; {@code nextPs} is the earliest event it holds or sent;
     * the counts are those since its last message to the root.
     */
    public record Report(int partition, long epoch, long nextPs, long windows, long events, long lastPs) implements Command {}

    /** A partition's counts since its last message, sent every few thousand local windows inside a long epoch. */
    public record Progress(long windows, long events, long lastPs) implements Command {}

    /** A component of the partition failed. */
    public record PartitionFailed(int partition, String message, Throwable cause) implements Command {}

    /** A partition's component reports and its own figures after the last epoch. */
    public record PartitionFinished(int partition, List<ComponentReport> reports, PartitionStats stats) implements Command {}

    /** A JVM hosting partitions left the run (it died or became unreachable): the run ends. */
    public record HostLost(String host) implements Command {}

    private final Assembly assembly;
    private final CompletableFuture<RunResult> result;
    private final RunObserver observer;
    private final List<ActorRef<NodeSync.Command>> syncs;
    private int hosted;
    private long crossWindowPs;
    private int pending;
    private long globalNext = Time.NEVER;
    private long events;
    private long lastPs;
    private long windows;
    private long rootRounds;
    private long wallStart;
    private long startupNanos;
    private long epochsStart;
    private final List<ComponentReport> reports = new ArrayList<>();
    private final PartitionStats[] stats;

    private WindowRoot(Assembly assembly, int partitions, long crossWindowPs, CompletableFuture<RunResult> result, RunObserver observer) {
        this.assembly = assembly;
        this.crossWindowPs = crossWindowPs;
        this.result = result;
        this.observer = observer;
        this.syncs = new ArrayList<>(java.util.Collections.nCopies(partitions, null));
        this.stats = new PartitionStats[partitions];
        this.wallStart = System.nanoTime(); // wall clock for the report only, never for simulated time
    }

    /** The guardian behaviour of a run inside one JVM: spawns one NodeSync per partition. */
    public static Behavior<Command> create(Assembly assembly, Placement placement, CompletableFuture<RunResult> result,
                                           RunObserver observer) {
        return Behaviors.setup(ctx -> {
            PartitionHost host = new PartitionHost(assembly, placement);
            WindowRoot root = new WindowRoot(assembly, placement.partitions(), host.crossWindowPs(), result, observer);
            for (int p = 0; p < placement.partitions(); p++) {
                ctx.getSelf().tell(new Hosted(p, ctx.spawn(host.partition(p, ctx.getSelf()), "sync-" + p)));
            }
            return Behaviors.receiveMessage(root::onCommand);
        });
    }

    /**
     * The root of a run whose partitions live elsewhere (other JVMs of a cluster): it waits for a
     * {@link Hosted} from every partition, then runs as in one JVM.
     */
    public static Behavior<Command> awaitingHosts(Assembly assembly, Placement placement, long crossWindowPs,
                                                  CompletableFuture<RunResult> result, RunObserver observer) {
        return Behaviors.setup(ctx -> {
            WindowRoot root = new WindowRoot(assembly, placement.partitions(), crossWindowPs, result, observer);
            return Behaviors.receiveMessage(root::onCommand);
        });
    }

    private void onHosted(Hosted h) {
        if (syncs.set(h.partition(), h.sync()) == null) hosted++;
        if (hosted < syncs.size()) return;
        pending = syncs.size();
        NodeSync.Peers peers = new NodeSync.Peers(List.copyOf(syncs));
        for (ActorRef<NodeSync.Command> s : syncs) s.tell(peers);
    }

    private Behavior<Command> onCommand(Command command) {
        switch (command) {
            case Hosted h -> onHosted(h);
            case Report r -> {
                globalNext = Math.min(globalNext, r.nextPs());
                count(r.windows(), r.events(), r.lastPs());
                if (--pending == 0) return nextEpoch(r.epoch());
            }
            case Progress p -> {
                count(p.windows(), p.events(), p.lastPs());
                observer.windowDone(windows, lastPs, events);
            }
            case PartitionFailed f -> {
                result.completeExceptionally(new EmulationException(f.message(), f.cause()));
                return Behaviors.stopped();
            }
            case PartitionFinished f -> {
                reports.addAll(f.reports());
                stats[f.partition()] = f.stats();
                if (--pending == 0) {
                    reports.sort(Comparator.comparingInt(ComponentReport::id));
                    result.complete(new RunResult(lastPs, events, windows, rootRounds, startupNanos,
                            System.nanoTime() - epochsStart, reports, List.of(stats)));
                    return Behaviors.stopped();
                }
            }
            case HostLost l -> {
                result.completeExceptionally(new HostLostException("lost " + l.host() + " after " + rootRounds
                        + " completed epochs (simulated time " + lastPs + " ps); the run is incomplete"));
                return Behaviors.stopped();
            }
        }
        return Behaviors.same();
    }

    private void count(long w, long e, long last) {
        windows += w;
        events += e;
        lastPs = Math.max(lastPs, last);
    }

    private Behavior<Command> nextEpoch(long finished) {
        if (finished >= 0) {
            rootRounds++;
            observer.windowDone(windows, lastPs, events);
        } else {
            startupNanos = System.nanoTime() - wallStart;
            observer.started(assembly.size(), startupNanos);
            epochsStart = System.nanoTime();
        }
        pending = syncs.size();
        long start = globalNext;
        globalNext = Time.NEVER;
        if (start == Time.NEVER) {
            for (ActorRef<NodeSync.Command> s : syncs) s.tell(new NodeSync.Finish(lastPs));
        } else {
            NodeSync.Open open = new NodeSync.Open(finished + 1, start, Time.plus(start, crossWindowPs));
            for (ActorRef<NodeSync.Command> s : syncs) s.tell(open);
        }
        return Behaviors.same();
    }
}
