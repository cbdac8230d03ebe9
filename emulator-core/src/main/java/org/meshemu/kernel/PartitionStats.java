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
 */
public record PartitionStats(int partition, long epochs, long[] eventsSentTo, long batchesWaitNanos, long wireBytesReceived) {}
