package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The parent of a contiguous block of a partition's components: it creates them, runs their
 * {@code start()}, spawns their actors, and at the end of the run collects their reports. Blocks
 * make spawning a tree (no actor has hundreds of thousands of children) and spread it over the
 * dispatcher's threads.
 */
final class ComponentBlock {
    /**
     * Components per block: small enough to spread spawning over threads and to keep each spawn
     * cheap (Pekko keeps an actor's children in a tree map by name, so a spawn under n siblings
     * costs log n comparisons: 256 spawned 30% faster than 2,048, docs/PERFORMANCE.md), large
     * enough to keep blocks few.
     */
    static final int SIZE = 256;

    /** The protocol of a block. */
    sealed interface Command permits Collect {}

    /** Reply {@link NodeSync.Collected} with the block's components' reports. */
    record Collect(long endPs) implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    private final int[] ids;
    private final Partition partition;

    private ComponentBlock(int[] ids, Partition partition) {
        this.ids = ids;
        this.partition = partition;
    }

    static Behavior<Command> create(int[] ids, Partition partition) {
        return Behaviors.setup(ctx -> {
            ComponentBlock block = new ComponentBlock(ids, partition);
            try {
                block.spawn(ctx);
            } catch (OutOfMemoryError e) { // the run fails with a message rather than through Pekko's fatal-error path
                HeapGuard.releaseReserve();
                partition.sync.tell(new NodeSync.Failed("out of memory while creating components", e));
                return Behaviors.stopped();
            }
            return Behaviors.receiveMessage(block::onCommand);
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void spawn(ActorContext<Command> ctx) {
        Directory directory = partition.directory;
        Assembly assembly = directory.assembly();
        ComponentState restorer = directory.resuming() ? new ComponentState() : null;
        for (int id : ids) {
            Assembly.Node node = assembly.node(id);
            Component<?> component = node.factory().get();
            if (!component.ports().equals(node.ports())) {
                // the wiring was checked against the declared ports; the component must use those
                partition.sync.tell(new NodeSync.Failed(node.label() + ": the component's ports " + component.ports()
                        + " differ from those it was wired with " + node.ports(), null));
                return;
            }
            ComponentActor<?> host = new ComponentActor<>(id, (Component) component, assembly.channels(id), partition);
            if (!directory.resuming()) {
                host.startUp();
            } else {
                byte[] state = directory.takeRestoredState(id);
                if (state == null) {
                    partition.sync.tell(new NodeSync.Failed("the checkpoint holds no state for " + node.label(), null));
                    return;
                }
                try {
                    restorer.read(host, state);
                } catch (IllegalStateException e) {
                    partition.sync.tell(new NodeSync.Failed(node.label() + ": " + e.getMessage(), e));
                    return;
                }
            }
            host.actor = Adapter.toClassic(ctx.spawn(host, "c" + id));
            directory.register(id, host);
        }
        partition.sync.tell(new NodeSync.Spawned(ids.length));
    }

    private Behavior<Command> onCommand(Command command) {
        switch (command) {
            case Collect c -> {
                List<ComponentReport> reports = new ArrayList<>(ids.length);
                for (int id : ids) {
                    try {
                        reports.add(partition.directory.host(id).report(c.endPs()));
                    } catch (RuntimeException | OutOfMemoryError e) {
                        // a model's end-of-run check (e.g. a deadlocked network) names what went wrong
                        if (e instanceof OutOfMemoryError) HeapGuard.releaseReserve();
                        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                        partition.sync.tell(new NodeSync.Failed(partition.directory.label(id) + " at " + c.endPs() + " ps: " + why, e));
                        return Behaviors.same();
                    }
                }
                partition.sync.tell(new NodeSync.Collected(reports));
            }
        }
        return Behaviors.same();
    }
}
