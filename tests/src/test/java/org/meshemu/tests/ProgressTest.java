package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.meshemu.dashboards.LiveRun;
import org.meshemu.dashboards.MeshGeometry;
import org.meshemu.deploy.Runner;
import org.meshemu.kernel.ComponentProbe;
import org.meshemu.kernel.RunObserver;
import org.meshemu.kernel.Work;
import org.meshemu.scenario.LoadedScenario;

/**
 * Progress where the workload knows its length: the declared {@link Work} is exactly what the
 * components have done at the end, so progress, read at every barrier, climbs to 1.0 and never
 * goes back; a run whose length is unknown has no progress and no time left.
 */
class ProgressTest {
    @TempDir Path out;

    /** Reads the run's status after every barrier (sampled at each: interval 0), under one lock so the readings are in order. */
    private record Readings(LiveRun live, List<LiveRun.Status> seen) implements RunObserver {
        @Override public void windowDone(long windows, long simulatedPs, long events) { live.windowDone(windows, simulatedPs, events); }
        @Override public void started(int components, long startupNanos) { live.started(components, startupNanos); }
        @Override public synchronized void atBarrier(ComponentProbe probe) {
            live.atBarrier(probe);
            seen.add(live.status());
        }
    }

    private List<LiveRun.Status> watch(LoadedScenario loaded, Work work) {
        var prepared = Runner.prepare(loaded);
        var live = new LiveRun(loaded.scenario().name(), MeshGeometry.of(loaded.scenario().hardware()), prepared.built().assembly(), work, 0);
        Readings readings = new Readings(live, new ArrayList<>());
        Runner.run(loaded, out.resolve(loaded.scenario().name()), readings);
        return readings.seen();
    }

    @ParameterizedTest
    @CsvSource({"noc-uniform-8x8, injection cycles", "gemv-tree-16x16, instructions", "retnet-tiny-mesh, instructions"})
    void progressClimbsToOneAndNeverGoesBack(String scenario, String unit) {
        LoadedScenario loaded = Scenarios.shipped(scenario, "run.partitions=2", "run.threads=2");
        Work work = Runner.prepare(loaded).plan().work();
        assertNotNull(work, scenario + " knows its length");
        assertEquals(unit, work.unit());
        List<LiveRun.Status> seen = watch(loaded, work);
        assertTrue(seen.size() > 2, "barriers seen: " + seen.size());
        double last = 0;
        boolean between = false;
        for (LiveRun.Status s : seen) {
            assertEquals(unit, s.workUnit());
            assertTrue(s.progress() >= last && s.progress() <= 1, "monotone within [0, 1]: " + last + " then " + s.progress());
            between |= s.progress() > 0 && s.progress() < 1;
            if (s.progress() > 0 && s.progress() < 1) assertTrue(s.etaSeconds() == null || s.etaSeconds() >= 0);
            last = s.progress();
        }
        assertTrue(between, "progress was seen between 0 and 1");
        // after the last window every component has done all its work: the declared length is exact
        assertEquals(1.0, last, scenario);
    }

    @Test
    void aRunOfUnknownLengthHasNoProgressAndNoTimeLeft() {
        List<LiveRun.Status> seen = watch(Scenarios.shipped("noc-uniform-8x8", "workload.measureCycles=200"), null);
        assertTrue(seen.size() > 2);
        for (LiveRun.Status s : seen) {
            assertNull(s.progress());
            assertNull(s.etaSeconds());
            assertNull(s.workUnit());
        }
    }
}
