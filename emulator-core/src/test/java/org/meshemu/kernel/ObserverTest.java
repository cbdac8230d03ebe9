package org.meshemu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Observers at barriers: by each partition's last barrier the probe has seen every component's
 * final figures and every traced slice, the partitions' counts add up to the run's, and observing
 * changes no result.
 */
class ObserverTest {
    /** Records what the probes show; partitions call it concurrently, each for its own components. */
    private static final class Recording implements RunObserver {
        final long[] busy, slices;
        final long[] events = new long[16], windows = new long[16];
        int barriersBeforeAnyWindow;

        Recording(int components) {
            busy = new long[components];
            slices = new long[components];
        }

        @Override public void windowDone(long windows, long simulatedPs, long events) {}

        @Override
        public synchronized void atBarrier(ComponentProbe probe) {
            int p = probe.partition();
            assertTrue(probe.events() >= events[p] && probe.windows() >= windows[p], "counts never go back");
            if (probe.windows() == 0) barriersBeforeAnyWindow++;
            events[p] = probe.events();
            windows[p] = probe.windows();
            for (int i = 0; i < probe.size(); i++) {
                int id = probe.id(i);
                busy[id] = probe.busyPs(i);
                probe.trace(i, 1 << 16).drain((name, start, end) -> {
                    assertEquals("token", name);
                    slices[id]++;
                });
            }
        }
    }

    @ParameterizedTest(name = "{0} partitions, {1} threads")
    @CsvSource({"1, 1", "4, 2", "7, 2"})
    void theLastBarrierShowsEveryFigureAndObservingChangesNothing(int partitions, int threads) {
        Assembly a = SynchronisationTest.torus();
        Recording observer = new Recording(a.size());
        RunResult observed = Engine.run(a, Placement.byLocality(a, partitions), threads, observer);
        RunResult plain = Engine.run(a, Placement.byLocality(a, partitions), threads, RunObserver.NONE);

        assertEquals(partitions, observer.barriersBeforeAnyWindow, "one barrier per partition before its first window");
        long events = 0, windows = 0;
        for (int p = 0; p < partitions; p++) {
            events += observer.events[p];
            windows += observer.windows[p];
        }
        assertEquals(observed.events(), events);
        assertEquals(observed.windows(), windows);
        for (ComponentReport r : observed.reports()) {
            assertEquals(r.counter("handled"), observer.busy[r.id()], "component " + r.id());
            assertEquals(r.counter("handled"), observer.slices[r.id()], "one slice per token handled, component " + r.id());
        }
        assertEquals(plain.events(), observed.events());
        assertEquals(plain.simulatedPs(), observed.simulatedPs());
        for (int i = 0; i < plain.reports().size(); i++) {
            assertEquals(plain.reports().get(i).counters(), observed.reports().get(i).counters(), "component " + i);
        }
    }
}
