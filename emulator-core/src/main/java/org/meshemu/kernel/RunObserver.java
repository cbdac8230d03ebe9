package org.meshemu.kernel;

/**
 * Watches a run's progress from outside the simulated path (progress lines, dashboards,
 * benchmarks). Called on the root's thread between epochs (and every few thousand local windows
 * inside a long one), when no component runs; it must return quickly and must not influence the run.
 */
@FunctionalInterface
public interface RunObserver {
    /** Progress: local windows so far, the time of the last event handled, events handled so far. */
    void windowDone(long windows, long simulatedPs, long events);

    /** Every component is created, started up and spawned; no window has run yet. */
    default void started(int components, long startupNanos) {}

    /** A step of setting the run up worth telling a user who waits (starting worker JVMs, nodes joining). */
    default void status(String line) {}

    /** Every partition has completed {@code epochs} epochs (called just after {@link #windowDone}). */
    default void epochDone(long epochs) {}

    /**
     * Called by each partition before its first window and between its own windows (none of its components runs, other
     * partitions may): {@code probe} reads its components. Called very often, possibly on several
     * threads at once: an observer that samples keeps its own clock and returns at once otherwise.
     * In a cluster the partitions of other JVMs have no probe here: their nodes sample them at
     * {@link #remoteSampleNanos()} and the root hands the samples to {@link #sampled}.
     */
    default void atBarrier(ComponentProbe probe) {}

    /**
     * Called by each partition once, after its last window and before it hands in its reports (none of
     * its components runs again): {@code probe} reads their final state. An observer that samples at
     * {@link #atBarrier} no more often than an interval takes its last sample here, so that a run
     * shorter than the interval still ends on its final figures.
     */
    default void partitionFinished(ComponentProbe probe) {}

    /** A partition in another JVM of a cluster was sampled there (called on the root's thread). */
    default void sampled(PartitionSample sample) {}

    /**
     * How often, at most, this observer wants each partition in another JVM sampled and sent here, in ns
     * of wall time; 0: never (the nodes then read no component).
     */
    default long remoteSampleNanos() { return 0; }

    RunObserver NONE = (w, t, e) -> {};
}
