package org.meshemu.kernel;

/**
 * Checkpoints of a run: how often the partitions take one, where their state goes, and the state a
 * resumed run starts from.
 *
 * <p>A checkpoint is taken at an epoch barrier, after the exchange has put every event that crossed
 * between partitions into its target's inbox and before the next epoch starts: every component is
 * idle and every pending event is in a component's queue or inbox, so the state of the components
 * alone is the state of the run. A partition that has run {@code everyWindows} local windows since
 * the last checkpoint ends its epoch early (always safe: the epoch's end is only a bound) and asks
 * for one in its last batch; all partitions see the same batches, so all take it at the same
 * barrier, without a coordinator.
 *
 * @param everyWindows local windows of a partition between checkpoints (0: never)
 * @param sink         where the root hands the state (null where no root runs, or when everyWindows is 0)
 * @param resume       the state to start from (null: a fresh run)
 */
public record Checkpointing(int everyWindows, CheckpointSink sink, Resume resume) {
    public static final Checkpointing NONE = new Checkpointing(0, null, null);

    public Checkpointing {
        if (everyWindows < 0) throw new IllegalArgumentException("everyWindows must be >= 0, got " + everyWindows);
    }

    /**
     * The figures of a run at a checkpoint barrier: epochs completed, events handled, local windows
     * run (summed over partitions), the latest simulated time handled (ps, -1 if none).
     */
    public record SoFar(long epochs, long events, long windows, long lastPs) {
        public static final SoFar START = new SoFar(0, 0, 0, -1);
    }

    /**
     * What a resumed run starts from: the figures at the barrier and every component's state record
     * ({@link ComponentState}), by component id (records of components hosted elsewhere may be
     * null), read from {@code origin} (a file, for messages and for other JVMs of a cluster to fetch).
     */
    public record Resume(SoFar soFar, byte[][] stateById, String origin) {}
}
