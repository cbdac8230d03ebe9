package org.meshemu.kernel;

/**
 * Every component hosted in this JVM, by component id, and the partition of every component. Each
 * component's entry is written once, by the block that spawns it, before its {@link NodeSync}
 * starts any window; everything else only reads it after that.
 */
final class Directory {
    private final Assembly assembly;
    private final ComponentActor<?>[] hosts;
    private final int[] partitionOf;
    private final int[] localIndex;
    private final byte[][] restoredState; // by id, null in a fresh run; each entry dropped once used

    Directory(Assembly assembly, Placement placement, byte[][] restoredState) {
        this.assembly = assembly;
        this.restoredState = restoredState;
        this.partitionOf = placement.partitionOf();
        this.hosts = new ComponentActor<?>[partitionOf.length];
        this.localIndex = new int[partitionOf.length];
        int[] counts = new int[placement.partitions()];
        for (int id = 0; id < partitionOf.length; id++) localIndex[id] = counts[partitionOf[id]]++;
    }

    int partitionOf(int id) { return partitionOf[id]; }

    /** Position of a component among its partition's components. */
    int localIndex(int id) { return localIndex[id]; }

    void register(int id, ComponentActor<?> host) { hosts[id] = host; }

    ComponentActor<?> host(int id) { return hosts[id]; }

    Assembly assembly() { return assembly; }

    /** Whether components take a checkpoint's state instead of starting up. */
    boolean resuming() { return restoredState != null; }

    /** The checkpointed state of component {@code id} (once: the entry is then dropped), or null if the checkpoint has none. */
    byte[] takeRestoredState(int id) {
        byte[] state = restoredState[id];
        restoredState[id] = null;
        return state;
    }

    String label(int id) { return assembly.label(id); }
}
