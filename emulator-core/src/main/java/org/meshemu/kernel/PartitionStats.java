package org.meshemu.kernel;

import java.util.Arrays;

/**
 * What one partition measured of its exchanges with the others (host figures, not simulated ones).
 *
 * @param partition     the partition
 * @param epochs        epochs it went through (the same in every partition of a run)
 * @param eventsSentTo  events it sent to each partition, by partition (0 to itself)
 * @param batchesWaitNanos wall-clock time it spent between the end of an epoch and the start of the
 *                      next: waiting for the root to open it and for its neighbours' batches
 * @param wireBytesFrom serialised bytes of the batches it received from each partition, by partition (0 within a JVM)
 * @param windows       local windows it ran
 * @param events        events its components handled
 */
public record PartitionStats(int partition, long epochs, long[] eventsSentTo, long batchesWaitNanos, long[] wireBytesFrom,
                             long windows, long events) {
    /** Serialised bytes of the batches it received from other JVMs (0 in one JVM). */
    public long wireBytesReceived() { return Arrays.stream(wireBytesFrom).sum(); }
}
