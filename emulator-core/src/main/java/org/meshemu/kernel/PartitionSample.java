package org.meshemu.kernel;

import java.util.List;

/**
 * One partition's figures at one of its barriers, taken by an observer (host figures and sums over
 * its components). In a cluster a node's observer sends these to the launcher (through the root)
 * at a bounded rate; every count is cumulative since the start of the run.
 *
 * @param partition          the partition
 * @param node               where it runs: the node's address, or "local" in the launcher's own JVM
 * @param windows            local windows it has run
 * @param events             events its components have handled
 * @param lastPs             time of its last event handled, in ps (-1: none yet)
 * @param barrierWaitNanos   wall time it waited between epochs ({@link ComponentProbe#barrierWaitNanos})
 * @param eventsSentTo       events it sent to each partition, by partition
 * @param eventsReceivedFrom events it received from each partition, by partition
 * @param wireBytesFrom      serialised bytes of the batches it received from each partition (0 within a JVM)
 * @param work               the sum of its components' {@link Component#workSoFar()}
 * @param kinds              busy time and bytes summed over its components of each observed kind
 */
public record PartitionSample(int partition, String node, long windows, long events, long lastPs, long barrierWaitNanos,
                              long[] eventsSentTo, long[] eventsReceivedFrom, long[] wireBytesFrom, long work, List<Kind> kinds) {
    public PartitionSample {
        kinds = List.copyOf(kinds);
    }

    /** {@code count} components of kind {@code kind}: their busy time in ps and bytes, summed. */
    public record Kind(String kind, int count, long busyPs, long bytes) {}
}
