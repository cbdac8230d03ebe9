package org.meshemu.kernel;

/**
 * What one partition measured of its exchanges with the others (host figures, not simulated ones).
 *
 * @param partition     the partition
 * @param epochs        epochs it went through (the same in every partition of a run)
 * @param eventsSentTo  events it sent to each partition, by partition (0 to itself)
 * @param batchesWaitNanos wall-clock time it spent between the end of an epoch and the start of the
 *                      next: waiting for the root to open it and for its neighbours' batches
 * @param wireBytesReceived serialised bytes of the batches it received from other JVMs (0 in one JVM)
 * @param events        events its components handled (the root's sum of its progress; 0 as the partition sends it)
 */
public record PartitionStats(int partition, long epochs, long[] eventsSentTo, long batchesWaitNanos, long wireBytesReceived, long events) {
    /** As a partition measures it: the root adds the events. */
    public PartitionStats(int partition, long epochs, long[] eventsSentTo, long batchesWaitNanos, long wireBytesReceived) {
        this(partition, epochs, eventsSentTo, batchesWaitNanos, wireBytesReceived, 0);
    }

    public PartitionStats withEvents(long handled) {
        return new PartitionStats(partition, epochs, eventsSentTo, batchesWaitNanos, wireBytesReceived, handled);
    }
}
