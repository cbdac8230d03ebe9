package org.meshemu.kernel;

/**
 * Watches a run's progress from outside the simulated path (progress lines, dashboards). Called on
 * the root's thread after each window; it must return quickly and must not influence the run.
 */
@FunctionalInterface
public interface RunObserver {
    void windowDone(long window, long simulatedPs, long events);

    RunObserver NONE = (w, t, e) -> {};
}
