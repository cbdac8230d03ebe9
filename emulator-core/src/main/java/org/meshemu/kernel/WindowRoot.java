package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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
    public sealed interface Command permits Report, Progress, PartitionFailed, PartitionFinished {}

    /**
     * A partition finished {@code epoch}; {@code nextPs} is the earliest event it holds or sent;
     * the counts are those since its last message to the root.
     */
    public record Report(int partition, long epoch, long nextPs, long windows, long events, long lastPs) implements Command {}

    /** A partition's counts since its last message, sent every few thousand local windows inside a long epoch. */
    public record Progress(long windows, long events, long lastPs) implements Command {}

    /** A component of the partition failed. */
    public record PartitionFailed(int partition, String message, Throwable cause) implements Command {}

    /** A partition's component reports after the last epoch. */
    public record PartitionFinished(int partition, List<ComponentReport> reports) implements Command {}

    private final Assembly assembly;
    private final CompletableFuture<RunResult> result;
    private final RunObserver observer;
    private final List<ActorRef<NodeSync.Command>> syncs = new ArrayList<>();
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

    private WindowRoot(Assembly assembly, CompletableFuture<RunResult> result, RunObserver observer) {
        this.assembly = assembly;
        this.result = result;
        this.observer = observer;
    }

    /** The guardian behaviour of a run inside one JVM: spawns one NodeSync per partition. */
    public static Behavior<Command> create(Assembly assembly, Placement placement, CompletableFuture<RunResult> result,
                                           RunObserver observer) {
        return Behaviors.setup(ctx -> {
            WindowRoot root = new WindowRoot(assembly, result, observer);
            root.spawnPartitions(ctx, placement);
            return Behaviors.receiveMessage(root::onCommand);
        });
    }

    private void spawnPartitions(ActorContext<Command> ctx, Placement placement) {
        wallStart = System.nanoTime(); // wall clock for the report only, never for simulated time
        Placement.Windows w = placement.windows(assembly);
        crossWindowPs = w.crossPs();
        int n = placement.partitions();
        Directory directory = new Directory(assembly, placement);
        for (int p = 0; p < n; p++) {
            List<Integer> to = new ArrayList<>();
            int from = 0;
            for (int q = 0; q < n; q++) {
                if (w.sends()[p][q]) to.add(q);
                if (w.sends()[q][p]) from++;
            }
            int[] sendsTo = to.stream().mapToInt(Integer::intValue).toArray();
            syncs.add(ctx.spawn(NodeSync.create(p, directory, placement.members(p), sendsTo, from, w.localPs()[p], n, ctx.getSelf()),
                    "sync-" + p));
        }
        pending = n;
        for (ActorRef<NodeSync.Command> s : syncs) s.tell(new NodeSync.Peers(List.copyOf(syncs)));
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
                if (--pending == 0) {
                    reports.sort(Comparator.comparingInt(ComponentReport::id));
                    result.complete(new RunResult(lastPs, events, windows, rootRounds, startupNanos,
                            System.nanoTime() - epochsStart, reports));
                    return Behaviors.stopped();
                }
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
        if (result.isDone()) return Behaviors.stopped(); // failed from outside (the heap guard): open nothing more
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
