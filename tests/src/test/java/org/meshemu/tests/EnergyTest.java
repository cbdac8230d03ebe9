package org.meshemu.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshemu.kernel.ComponentReport;
import org.meshemu.report.Energy;
import org.meshemu.report.EnergySpec;

/** Energy from counters, with each component kind's measures as its module registers them. */
class EnergyTest {
    final EnergySpec spec = new EnergySpec(Map.of("fp32", 2.0, "int8", 0.5), 1.0, 0.25, 3.0, 4.0, 100.0, 10.0, 0.5);

    @Test
    void energyIsCountsTimesUnitCostsAndPowerIsEnergyOverTime() {
        List<ComponentReport> reports = List.of(
                new ComponentReport(0, "core", 0, Map.of("flops.fp32", 1000L, "flops.int8", 400L, "vectorElements", 50L), Map.of()),
                new ComponentReport(1, "core", 0, Map.of(), Map.of()),
                new ComponentReport(2, "link", 0, Map.of("bytes", 10L), Map.of()),
                new ComponentReport(3, "bank", 0, Map.of("bytesRead", 2L, "bytesWritten", 1L, "activates", 3L), Map.of()));
        long t = 1_000_000; // 1 us
        Energy e = Energy.of(reports, spec, id -> id == 1 ? 1 : 0, t); // core 1 alone on node 1
        assertEquals(1000 * 2.0 + 400 * 0.5 + 50 * 1.0, e.corePj(), 1e-9);
        assertEquals(10 * 8 * 0.25, e.linkPj(), 1e-9);
        assertEquals(2 * 8 * 3.0 + 1 * 8 * 4.0 + 3 * 100.0, e.dramPj(), 1e-9);
        assertEquals(2 * 10.0 * 1e-3 * t, e.staticPj(), 1e-9); // 10 mW x 1 us = 10,000 pJ per core
        assertEquals(e.corePj() + e.linkPj() + e.dramPj() + e.staticPj(), e.totalPj(), 1e-9);
        assertEquals(e.totalPj() / t, e.averageWatts(), 1e-12);
        double node0 = e.corePj() + e.linkPj() + e.dramPj() + 10.0 * 1e-3 * t;
        assertEquals(node0 / t / 0.5, e.peakWattsPerMm2(), 1e-12);
    }
}
