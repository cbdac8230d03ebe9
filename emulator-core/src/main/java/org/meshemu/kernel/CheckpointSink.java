package org.meshemu.kernel;

/**
 * Receives a checkpoint's state from the {@link WindowRoot}, on the root's thread. The state of one
 * barrier arrives as parts, each a run of whole component records ({@link ComponentState#forEach}),
 * from every partition in any order; {@link #complete} follows the last one. A run that ends before
 * a checkpoint completes leaves it incomplete, and the sink must not present it as one.
 */
public interface CheckpointSink {
    /** Component records of one partition at the barrier after epoch {@code epoch}. */
    void part(long epoch, int partition, byte[] records);

    /**
     * Every partition's state at that barrier has arrived; {@code soFar} holds the run's figures there,
     * {@code serialiseNanos} the longest time a partition spent writing its state.
     */
    void complete(long epoch, Checkpointing.SoFar soFar, long serialiseNanos);
}
