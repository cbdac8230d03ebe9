package org.meshemu.kernel;

/**
 * A workload's length, declared before it runs: the sum of every component's {@link Component#workSoFar()}
 * at the end of the run. Observers show {@code sum so far / total} as the run's progress.
 *
 * @param total units in the whole run, > 0
 * @param unit  what a unit is, for people ("instructions", "injection cycles")
 */
public record Work(long total, String unit) {
    public Work {
        if (total <= 0) throw new IllegalArgumentException("a workload's length must be positive, got " + total);
    }
}
