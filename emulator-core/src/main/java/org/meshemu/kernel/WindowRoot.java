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
 * (including what the partition sent to others) and opens the next window at the global minimum,
 * so empty simulated time is skipped. When nothing is pending anywhere it collects the reports and
 * completes the run. One round trip per window: {@link NodeSync.Open} out, {@link Report} back.
 */
public final class WindowRoot {

    /** The protocol of the root. */
    public sealed interface Command permits Report, PartitionFailed, PartitionFinished {}

    /** A partition finished {@code window}; {@code nextPs} is the earliest event it holds or sent. */
    public record Report(int partition, long window, long nextPs, long events, long lastPs) implements Command {}

    /** A component of the partition failed. */
    public record PartitionFailed(int partition, String message, Throwable cause) implements Command {}

    /** A partition's component reports after the last window. */
    public record PartitionFinished(int partition, List<ComponentReport> reports) implements Command {}

    private final Assembly assembly;
    private final CompletableFuture<RunResult> result;
    private final RunObserver observer;
    private final List<ActorRef<NodeSync.Command>> syncs = new ArrayList<>();
    private int pending;
    private long globalNext = Time.NEVER;
    private long events;
    private long lastPs;
    private long windows;
    private long wallStart;
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
        int n = placement.partitions();
        Directory directory = new Directory(placement);
        boolean[][] sends = new boolean[n][n];
        for (int id = 0; id < assembly.size(); id++) {
            int from = placement.partitionOf()[id];
            for (int target : assembly.targets(id)) {
                int to = placement.partitionOf()[target];
                if (to != from) sends[from][to] = true;
            }
        }
        for (int p = 0; p < n; p++) {
            List<Integer> to = new ArrayList<>();
            int from = 0;
            for (int q = 0; q < n; q++) {
                if (sends[p][q]) to.add(q);
                if (sends[q][p]) from++;
            }
            int[] sendsTo = to.stream().mapToInt(Integer::intValue).toArray();
            syncs.add(ctx.spawn(NodeSync.create(p, assembly, directory, sendsTo, from, ctx.getSelf()), "sync-" + p));
        }
        pending = n;
        for (ActorRef<NodeSync.Command> s : syncs) s.tell(new NodeSync.Peers(List.copyOf(syncs)));
        wallStart = System.nanoTime(); // wall clock for the report only, never for simulated time
    }

    private Behavior<Command> onCommand(Command command) {
        switch (command) {
            case Report r -> {
                globalNext = Math.min(globalNext, r.nextPs());
                events += r.events();
                lastPs = Math.max(lastPs, r.lastPs());
                if (--pending == 0) return nextWindow(r.window());
            }
            case PartitionFailed f -> {
                result.completeExceptionally(new EmulationException(f.message(), f.cause()));
                return Behaviors.stopped();
            }
            case PartitionFinished f -> {
                reports.addAll(f.reports());
                if (--pending == 0) {
                    reports.sort(Comparator.comparingInt(ComponentReport::id));
                    result.complete(new RunResult(lastPs, events, windows, System.nanoTime() - wallStart, reports));
                    return Behaviors.stopped();
                }
            }
        }
        return Behaviors.same();
    }

    private Behavior<Command> nextWindow(long finished) {
        if (finished >= 0) {
            windows++;
            observer.windowDone(finished, lastPs, events);
        }
        pending = syncs.size();
        long start = globalNext;
        globalNext = Time.NEVER;
        if (start == Time.NEVER) {
            for (ActorRef<NodeSync.Command> s : syncs) s.tell(new NodeSync.Finish(lastPs));
        } else {
            NodeSync.Open open = new NodeSync.Open(finished + 1, start, start + assembly.windowPs());
            for (ActorRef<NodeSync.Command> s : syncs) s.tell(open);
        }
        return Behaviors.same();
    }
}
