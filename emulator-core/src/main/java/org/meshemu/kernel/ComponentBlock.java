package org.meshemu.kernel;

import java.util.ArrayList;
import java.util.List;
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
    private ComponentState restorer; // resuming from a checkpoint only

    private ComponentBlock(int[] ids, Partition partition) {
        this.ids = ids;
        this.partition = partition;
    }

    /** A block of the components {@code ids}, which run on the partition's dispatcher. */
    static Behavior<Command> create(int[] ids, Partition partition) {
        return Behaviors.setup(ctx -> {
            ComponentBlock block = new ComponentBlock(ids, partition);
            if (!block.spawn(ctx)) return Behaviors.stopped();
            return Behaviors.receiveMessage(block::onCommand);
        });
    }

    /**
     * Creates, starts up and spawns the block's components; false (the partition told why) if one
     * could not be. Anything a model's constructor throws fails the run naming the component.
     */
    private boolean spawn(ActorContext<Command> ctx) {
        Directory directory = partition.directory;
        org.apache.pekko.actor.ActorContext parent = Adapter.toClassic(ctx);
        org.apache.pekko.actor.Props props = ComponentActor.Actor.props(directory, ids).withDispatcher(partition.dispatcher);
        for (int position = 0; position < ids.length; position++) {
            try {
                if (!spawn(parent, props, position)) return false;
            } catch (Throwable e) { // out of memory, an assertion, ...: a message, never Pekko's supervision (which would leave the partition waiting)
                partition.sync.tell(NodeSync.Failed.of(directory.label(ids[position]) + " while being created", e));
                return false;
            }
        }
        partition.sync.tell(new NodeSync.Spawned(ids.length));
        return true;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean spawn(org.apache.pekko.actor.ActorContext parent, org.apache.pekko.actor.Props props, int position) {
        int id = ids[position];
        Directory directory = partition.directory;
        Assembly.Node node = directory.assembly().node(id);
        Component<?> component = node.factory().get();
        if (!component.ports().equals(node.ports())) {
            // the wiring was checked against the declared ports; the component must use those
            partition.sync.tell(new NodeSync.Failed(node.label() + ": the component's ports " + component.ports()
                    + " differ from those it was wired with " + node.ports(), null));
            return false;
        }
        ComponentActor<?> host = new ComponentActor<>(id, (Component) component, directory.assembly().channels(id), partition);
        if (!directory.resuming()) {
            host.startUp();
        } else {
            byte[] state = directory.takeRestoredState(id);
            if (state == null) {
                partition.sync.tell(new NodeSync.Failed("the checkpoint holds no state for " + node.label(), null));
                return false;
            }
            if (restorer == null) restorer = new ComponentState();
            try {
                restorer.read(host, state);
            } catch (IllegalStateException e) {
                partition.sync.tell(new NodeSync.Failed(node.label() + ": " + e.getMessage(), e));
                return false;
            }
        }
        directory.register(id, host); // before the spawn: the actor looks its host up when it is created
        host.actor = parent.actorOf(props, ComponentActor.Actor.name(position));
        return true;
    }

    private Behavior<Command> onCommand(Command command) {
        switch (command) {
            case Collect c -> {
                List<ComponentReport> reports = new ArrayList<>(ids.length);
                for (int id : ids) {
                    try {
                        reports.add(partition.directory.host(id).report(c.endPs()));
                    } catch (Throwable e) {
                        // a model's end-of-run check (e.g. a deadlocked network) names what went wrong
                        partition.sync.tell(NodeSync.Failed.of(partition.directory.label(id) + " at " + c.endPs() + " ps", e));
                        return Behaviors.same();
                    }
                }
                partition.sync.tell(new NodeSync.Collected(reports));
            }
        }
        return Behaviors.same();
    }
}
