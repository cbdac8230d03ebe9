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

    /** The root has closed its {@code rootRounds}-th epoch (called just after {@link #windowDone}). */
    default void epochDone(long rootRounds) {}

    /**
     * Called by each partition before its first window and between its own windows (none of its components runs, other
     * partitions may): {@code probe} reads its components. Called very often, possibly on several
     * threads at once: an observer that samples keeps its own clock and returns at once otherwise.
     */
    default void atBarrier(ComponentProbe probe) {}

    RunObserver NONE = (w, t, e) -> {};
}
