package org.meshemu.kernel;

/**
 * A workload's length, declared before it runs: the sum of the {@link Component#workSoFar()} of its
 * components of kind {@code kind} at the end of the run (other kinds do none). Observers show
 * {@code sum so far / total} as the run's progress, reading only components of that kind.
 *
 * @param total units in the whole run, > 0
 * @param unit  what a unit is, for people ("instructions", "injection cycles")
 * @param kind  the kind of component ({@code Assembly.Node#kind}) that does the work
 */
public record Work(long total, String unit, String kind) {
    public Work {
        if (total <= 0) throw new IllegalArgumentException("a workload's length must be positive, got " + total);
    }
}
