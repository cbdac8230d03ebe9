package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The report's wall time starts when the partitions begin their first epoch, not when the root
 * hears of it: the root shares the dispatcher with the components, so it may read the partitions'
 * {@code Started} only after they have run windows.
 */
class WallTimeTest {

    @Test
    void theWallTimeCountsFromThePartitionsStartNotFromWhenTheRootReadsIt() {
        long heldNanos = 300_000_000L;
        RunObserver slowRoot = new RunObserver() { // holds the root while the partitions run on
            @Override public void windowDone(long windows, long simulatedPs, long events) {}

            @Override public void started(int components, long startupNanos) {
                try {
                    Thread.sleep(heldNanos / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Assembly a = SynchronisationTest.torus();
        RunResult r = Engine.run(a, Placement.single(a.size()), 2, slowRoot);
        assertTrue(r.wallNanos() >= heldNanos, "the run's wall time includes the " + heldNanos / 1_000_000
                + " ms the root was held after the partitions began: " + r.wallNanos() / 1_000_000 + " ms");
    }
}
