package org.meshemu.kernel;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * The actor of every component hosted in this JVM, by component id, and the partition of every
 * component. Each {@link NodeSync} fills in and uses only its own components' entries.
 */
final class Directory {
    private final ActorRef<ComponentActor.Command>[] refs;
    private final int[] partitionOf;
    private final int[] localIndex;

    @SuppressWarnings("unchecked")
    Directory(Placement placement) {
        this.partitionOf = placement.partitionOf();
        this.refs = new ActorRef[partitionOf.length];
        this.localIndex = new int[partitionOf.length];
        int[] counts = new int[placement.partitions()];
        for (int id = 0; id < partitionOf.length; id++) localIndex[id] = counts[partitionOf[id]]++;
    }

    int partitionOf(int id) { return partitionOf[id]; }

    /** Position of a component among its partition's components. */
    int localIndex(int id) { return localIndex[id]; }

    void register(int id, ActorRef<ComponentActor.Command> ref) { refs[id] = ref; }

    ActorRef<ComponentActor.Command> ref(int id) { return refs[id]; }
}
