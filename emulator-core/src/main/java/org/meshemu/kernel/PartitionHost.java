package org.meshemu.kernel;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.dispatch.Dispatchers;

/**
 * The partitions of one run that live in this JVM: one {@link Directory} of the components hosted
 * here, shared by their {@link NodeSync}s. Every JVM of a run builds the same {@link Assembly} and
 * {@link Placement} from the same scenario, so each can host any subset of the partitions; the
 * {@link WindowRoot} learns of them by {@link WindowRoot.Hosted}.
 */
public final class PartitionHost {
    private final Directory directory;
    private final Placement placement;
    private final Placement.Windows windows;
    private final Checkpointing checkpointing;
    private final String dispatcher;
    private final Pulse pulse;

    /** {@code checkpointing}: how often partitions take checkpoints, and the state to resume from (if any) of the components hosted here. */
    public PartitionHost(Assembly assembly, Placement placement, Checkpointing checkpointing) {
        this(assembly, placement, checkpointing, Dispatchers.DefaultDispatcherId(), new Pulse(placement.partitions()));
    }

    /**
     * As above, the partitions and their components running on the dispatcher configured at
     * {@code dispatcher}, counting the messages they handle in {@code pulse} for a {@link Watchdog}. A
     * partition stays once it has reported: the actor that spawned it stops it.
     */
    PartitionHost(Assembly assembly, Placement placement, Checkpointing checkpointing, String dispatcher, Pulse pulse) {
        if (checkpointing.resume() != null && checkpointing.resume().stateById().length != assembly.size()) {
            throw new IllegalArgumentException("a checkpoint of " + checkpointing.resume().stateById().length
                    + " components cannot resume an assembly of " + assembly.size());
        }
        this.directory = new Directory(assembly, placement, checkpointing.resume() == null ? null : checkpointing.resume().stateById());
        this.placement = placement;
        this.windows = placement.windows(assembly);
        this.checkpointing = checkpointing;
        this.dispatcher = dispatcher;
        this.pulse = pulse;
    }

    /** Spawns partition {@code p}'s NodeSync, named {@code sync-<p>}, as a child of {@code ctx} on this host's dispatcher. */
    public ActorRef<NodeSync.Command> spawn(ActorContext<?> ctx, int p, ActorRef<WindowRoot.Command> root, RunObserver observer) {
        return ctx.spawn(partition(p, root, observer), "sync-" + p, DispatcherSelector.fromConfig(dispatcher));
    }

    /** The NodeSync of partition {@code p}, reporting to {@code root}; {@code observer} is called at its barriers (RunObserver.atBarrier). */
    private Behavior<NodeSync.Command> partition(int p, ActorRef<WindowRoot.Command> root, RunObserver observer) {
        int n = placement.partitions();
        if (p < 0 || p >= n) throw new IllegalArgumentException("partition " + p + " of " + n);
        return NodeSync.create(p, directory, placement.members(p), windows.localPs()[p], windows.crossPs(), n, root, observer,
                checkpointing, dispatcher, pulse);
    }

    /**
     * Watches the partitions spawned here from a thread of its own until closed (a {@link Watchdog}):
     * if for the stall timeout they handle nothing, no thread runs any of them and their threads run
     * no task at all, {@code onStall} is told why, once. For a JVM that hosts only some of a run's
     * partitions (a cluster node); a run in one JVM is watched by {@link Engine}.
     */
    public AutoCloseable watch(ActorSystem<?> system, Consumer<String> onStall) {
        return Watchdog.inBackground(pulse, NodeSync.stallNanos(system),
                system.dispatchers().lookup(DispatcherSelector.fromConfig(dispatcher)), onStall);
    }

    /** W_cross: the length of an epoch, the minimum latency of the channels between partitions. */
    public long crossWindowPs() { return windows.crossPs(); }
}
